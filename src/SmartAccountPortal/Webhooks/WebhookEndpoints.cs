using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>One endpoint in its organisation's list.</summary>
public sealed record WebhookEndpointRow(int Id, string Url, string? Description, WebhookEvent Events, DateTime? PausedAt, DateTime CreatedAt);

/// <summary>One line of an endpoint's delivery log.</summary>
public sealed record WebhookDeliveryRow(
    long Id, string MessageId, string Event, string? Reference, OutboxStatus Status, int Attempts, int? ResponseStatus,
    string? LastError, DateTime CreatedAt, DateTime? SentAt, DateTime NextAttemptAt);

/// <summary>
/// An organisation's webhook endpoints, as its administrators manage them: registered (the
/// secret shown once), their events changed, the secret rotated, paused and resumed, deleted,
/// each recorded in the audit list; and each endpoint's delivery log, with Redeliver and Send
/// test event. Every method is scoped to the organisation: another's endpoint is not found.
/// </summary>
public sealed class WebhookEndpoints(
    PortalDbContext db,
    WebhookPublisher publisher,
    IDataProtectionProvider protection,
    TimeProvider clock,
    IOptions<WebhookOptions> options)
{
    /// <summary>How many endpoints an organisation may have.</summary>
    public const int MaxPerOrganisation = 10;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private IDataProtector Protector => protection.CreateProtector(WebhookChannel.SecretProtectionPurpose);

    public Task<List<WebhookEndpointRow>> ListAsync(int organisationId, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.AsNoTracking().Where(e => e.OrganisationId == organisationId).OrderBy(e => e.Id)
            .Select(e => new WebhookEndpointRow(e.Id, e.Url, e.Description, e.Events, e.PausedAt, e.CreatedAt))
            .ToListAsync(cancellationToken);

    public Task<int> CountAsync(int organisationId, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.CountAsync(e => e.OrganisationId == organisationId, cancellationToken);

    public Task<WebhookEndpoint?> FindAsync(int id, int organisationId, CancellationToken cancellationToken) =>
        db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.OrganisationId == organisationId, cancellationToken);

    /// <summary>Why <paramref name="url"/> cannot be an endpoint, as a text key, or null.</summary>
    public string? UrlProblem(string url) => WebhookAddresses.Problem(url, options.Value.AllowPrivateAddresses);

    /// <summary>A new endpoint; the returned secret is the only time it is shown.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        int organisationId, string url, string? description, WebhookEvent events, PortalUser by, CancellationToken cancellationToken)
    {
        var secret = WebhookSigning.NewSecret();
        var endpoint = new WebhookEndpoint(organisationId, url, description, events, Protector.Protect(secret), by, Now);
        db.WebhookEndpoints.Add(endpoint);
        Audit(by, AuditAction.WebhookCreated, endpoint, Names(events));
        await db.SaveChangesAsync(cancellationToken);
        return (endpoint, secret);
    }

    public Task ChangeAsync(WebhookEndpoint endpoint, WebhookEvent events, string? description, PortalUser by, CancellationToken cancellationToken)
    {
        endpoint.Subscribe(events, description);
        Audit(by, AuditAction.WebhookChanged, endpoint, Names(events));
        return db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A new secret, returned to be shown once; the old one signs beside it for Webhooks:PreviousSecretValidFor.</summary>
    public async Task<string> RotateAsync(WebhookEndpoint endpoint, PortalUser by, CancellationToken cancellationToken)
    {
        var secret = WebhookSigning.NewSecret();
        endpoint.Rotate(Protector.Protect(secret), Now + options.Value.PreviousSecretValidFor);
        Audit(by, AuditAction.WebhookSecretRotated, endpoint, null);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    public Task PauseAsync(WebhookEndpoint endpoint, PortalUser by, CancellationToken cancellationToken)
    {
        endpoint.Pause(Now);
        Audit(by, AuditAction.WebhookPaused, endpoint, null);
        return db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Resumes the endpoint: the deliveries held while it was paused are queued again, in one transaction.</summary>
    public async Task ResumeAsync(WebhookEndpoint endpoint, PortalUser by, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        endpoint.Resume();
        Audit(by, AuditAction.WebhookResumed, endpoint, null);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE OutboxMessages SET Status = {nameof(OutboxStatus.Pending)}, NextAttemptAt = {now}, Version = Version + 1 WHERE WebhookEndpointId = {endpoint.Id} AND Status = {nameof(OutboxStatus.Held)}",
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes the endpoint and its delivery log; a delivery being sent at that moment is not recorded.</summary>
    public Task DeleteAsync(WebhookEndpoint endpoint, PortalUser by, CancellationToken cancellationToken)
    {
        db.WebhookEndpoints.Remove(endpoint);
        Audit(by, AuditAction.WebhookDeleted, endpoint, null);
        return db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues a <c>webhook.test</c> event for the endpoint, sent like any other.</summary>
    public Task SendTestAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        publisher.Test(endpoint);
        return db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a delivery again, with the same webhook-id and body and a fresh set of attempts
    /// (held when the endpoint is paused). False when it is still queued or being sent.
    /// </summary>
    public async Task<bool> RedeliverAsync(WebhookEndpoint endpoint, long deliveryId, CancellationToken cancellationToken)
    {
        var now = Now;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.WebhookEndpointId == endpoint.Id, cancellationToken);
        if (delivery is null || delivery.Status is OutboxStatus.Pending or OutboxStatus.Held || delivery.LeaseUntil > now)
        {
            return false;
        }

        delivery.Requeue(now);
        if (endpoint.IsPaused)
        {
            delivery.Status = OutboxStatus.Held;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>One page of the endpoint's deliveries, newest first.</summary>
    public async Task<(Paging Paging, List<WebhookDeliveryRow> Rows)> DeliveriesAsync(int endpointId, int? page, CancellationToken cancellationToken)
    {
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookEndpointId == endpointId);
        var paging = Paging.For(page, await deliveries.CountAsync(cancellationToken));
        var rows = await deliveries.OrderByDescending(d => d.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(d => new WebhookDeliveryRow(d.Id, d.MessageId, d.Event, d.Request == null ? null : d.Request.Reference, d.Status, d.Attempts,
                d.ResponseStatus, d.LastError, d.CreatedAt, d.SentAt, d.NextAttemptAt))
            .ToListAsync(cancellationToken);
        return (paging, rows);
    }

    private void Audit(PortalUser by, AuditAction action, WebhookEndpoint endpoint, string? detail) =>
        db.AuditEntries.Add(new AuditEntry(Now, by, action, null, endpoint.Url, endpoint.OrganisationId, detail));

    private static string Names(WebhookEvent events) => string.Join(", ", WebhookEvents.TypesIn(events));
}
