using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Api;

/// <summary>One key in the API keys list.</summary>
public sealed record ApiKeyRow(int Id, string Name, string Prefix, string CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>
/// An organisation's API keys: made (the key shown once, only its hash kept), listed, revoked,
/// each recorded in the audit list; and found again from a key a call presents.
/// </summary>
public sealed class ApiKeys(PortalDbContext db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A new key for the organisation; the returned text is the only time the key exists in clear.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(int organisationId, string name, PortalUser by, CancellationToken cancellationToken)
    {
        var (token, _) = ActivationTokens.Create();
        var secret = ApiKey.Marker + token;
        var key = new ApiKey(organisationId, name, secret, ActivationTokens.Hash(secret), by, Now);
        db.ApiKeys.Add(key);
        db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.ApiKeyCreated, null, name, organisationId, null));
        await db.SaveChangesAsync(cancellationToken);
        return (key, secret);
    }

    /// <summary>Revokes one of the organisation's keys: calls with it answer 401 from now on. False when there is no such key.</summary>
    public async Task<bool> RevokeAsync(int id, int organisationId, PortalUser by, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.OrganisationId == organisationId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        if (key.RevokedAt is null)
        {
            key.Revoke(Now);
            db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.ApiKeyRevoked, null, key.Name, organisationId, null));
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>The organisation's keys, newest first, revoked ones too.</summary>
    public Task<List<ApiKeyRow>> ListAsync(int organisationId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().Where(k => k.OrganisationId == organisationId).OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.CreatedByEmail, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The live key <paramref name="secret"/> is, or null; its last use is noted (at most once a minute).</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(ApiKey.Marker, StringComparison.Ordinal) || !ActivationTokens.IsWellFormed(secret[ApiKey.Marker.Length..]))
        {
            return null;
        }

        var hash = ActivationTokens.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.TokenHash == hash && k.RevokedAt == null, cancellationToken);
        var now = Now;
        if (key is not null && (key.LastUsedAt is null || key.LastUsedAt < now.AddMinutes(-1)))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE ApiKeys SET LastUsedAt = {now} WHERE Id = {key.Id}", cancellationToken);
            key.LastUsedAt = now;
        }

        return key;
    }
}
