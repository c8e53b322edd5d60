using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Background;

/// <summary>
/// Expires requests still Pending at their expiry time, a batch (Background:BatchSize) at a
/// time (Background:ExpiryBatchSize), set-based: one statement expires the batch (soonest first), three more write every
/// history entry and notice and withdraw the unsent activation links, all in one transaction.
/// The notices are written from their templates when they are sent, not here. The statement
/// that expires takes only requests still Pending and moves their concurrency token, so of two
/// instances each request is expired by one, with one set of notices, and a customer's answer
/// saved at the same moment from an older copy is refused. A crash rolls the batch back and the
/// next tick does it again.
/// </summary>
public sealed class RequestExpiry(
    PortalDbContext db,
    TimeProvider clock,
    IOptions<PortalOptions> portal,
    IOptions<BackgroundOptions> background,
    ILogger<RequestExpiry> logger)
{
    /// <summary>Expires one batch of overdue requests; returns how many it expired.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken) => (await ExpireBatchAsync(cancellationToken)).Done;

    /// <summary>Expires one batch (Background:ExpiryBatchSize) of overdue requests, with their notices.</summary>
    public async Task<Batch> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var take = background.Value.ExpiryBatchSize;
        List<AccountRequest> expired;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            expired = await db.ExpireOverdueAsync(now, take, cancellationToken);
            if (expired.Count > 0)
            {
                await db.RecordExpiriesAsync(expired.Select(r => r.Id).ToList(), now, portal.Value.PublicBaseUrl!.Host, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var request in expired)
        {
            Log.RequestExpired(logger, request.Reference);
        }

        return new Batch(expired.Count, Full: expired.Count == take);
    }
}
