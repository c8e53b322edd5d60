using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Users;

/// <summary>
/// Failed sign-ins with an address that has no account, counted like an account's, so that the
/// answer cannot tell the two apart: the same lockout page after the same number of tries, and
/// about the same time for each try (a password hash is verified either way). The address is
/// kept only as a hash, and only when it is a well-formed address (what people type there is
/// sometimes a password; a malformed address can have no account, so it needs no count).
/// </summary>
public sealed class UnknownSignIns(
    PortalDbContext db,
    IPasswordHasher<PortalUser> hasher,
    IOptions<IdentityOptions> identity,
    TimeProvider clock)
{
    /// <summary>Rows older than this are forgotten (a lockout lasts minutes).</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    private static string? dummyHash;

    /// <summary>
    /// One failed sign-in with an address that has no account, answered as Identity answers one
    /// for an account: a locked address is refused at once; otherwise a password hash is checked
    /// (against nothing), the failure counted, and the address locked on the last allowed one.
    /// Returns true when the address is (now) locked out. Malformed addresses (which no account
    /// can have) are not counted.
    /// </summary>
    public async Task<bool> FailAsync(string address, string password, bool count, CancellationToken cancellationToken)
    {
        if (!count)
        {
            VerifyAgainstNothing(password);
            return false;
        }

        var key = Key(address);
        var now = clock.GetUtcNow().UtcDateTime;
        var failure = await db.SignInFailures.SingleOrDefaultAsync(f => f.AddressHash == key, cancellationToken);
        if (failure?.LockoutEnd > now)
        {
            return true;
        }

        VerifyAgainstNothing(password);
        if (failure is null)
        {
            failure = new SignInFailure { AddressHash = key };
            db.SignInFailures.Add(failure);
        }

        var lockout = identity.Value.Lockout;
        failure.LastFailureAt = now;
        failure.FailedCount++;
        var lockedOut = failure.FailedCount >= lockout.MaxFailedAccessAttempts;
        if (lockedOut)
        {
            failure.FailedCount = 0;
            failure.LockoutEnd = now + lockout.DefaultLockoutTimeSpan;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same unknown address tried twice at the same moment: one count is enough.
            db.ChangeTracker.Clear();
        }

        return lockedOut;
    }

    /// <summary>Forgets failures older than a day (a lockout lasts minutes); the background service calls it.</summary>
    public async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - KeepFor;
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM SignInFailures WHERE LastFailureAt < {cutoff}", cancellationToken);
    }

    /// <summary>Verifies the password against a hash of nothing anyone knows, for the time it takes.</summary>
    private void VerifyAgainstNothing(string password)
    {
        var hash = dummyHash ??= hasher.HashPassword(new PortalUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(new PortalUser(), hash, password);
    }

    private static string Key(string address) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("sign-in:" + address.Trim().ToUpperInvariant())));
}

/// <summary>Failed sign-ins of an address with no account (see <see cref="UnknownSignIns"/>).</summary>
public sealed class SignInFailure
{
    public string AddressHash { get; set; } = "";

    public int FailedCount { get; set; }

    public DateTime? LockoutEnd { get; set; }

    public DateTime LastFailureAt { get; set; }
}
