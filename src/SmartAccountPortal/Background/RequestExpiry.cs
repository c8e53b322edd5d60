using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Background;

/// <summary>
/// Expires requests still Pending at their expiry time, a batch (Background:BatchSize) at a
/// time: the state changes, their history entries, both notices of each, and withdrawing the
/// unsent activation links are saved in one transaction, each request under its concurrency
/// token. If another instance (or the customer) changed one of them meanwhile, the whole batch
/// is refused and rolled back, and its requests are expired one at a time instead, so each
/// request's notices go out once. A crash rolls the batch back and the next tick does it again.
/// </summary>
public sealed class RequestExpiry(
    PortalDbContext db,
    RequestMailer mailer,
    TimeProvider clock,
    IOptions<BackgroundOptions> background,
    ILogger<RequestExpiry> logger)
{
    /// <summary>Expires one batch of overdue requests; returns how many it expired.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken) => (await ExpireBatchAsync(cancellationToken)).Done;

    /// <summary>Expires one batch (Background:BatchSize) of overdue requests, with their notices.</summary>
    public async Task<Batch> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Requests.AsNoTracking()
            .Where(r => r.Status == RequestStatus.Pending && r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt)
            .Select(r => r.Id)
            .Take(background.Value.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new Batch(0, Full: false);
        }

        var full = due.Count == background.Value.BatchSize;
        try
        {
            var expired = await ExpireAsync(due, now, cancellationToken);
            return new Batch(expired, full);
        }
        catch (DbUpdateConcurrencyException)
        {
            // One of them changed under us: nothing of the batch was saved. One at a time, each
            // either expires with its notices or is left to whoever changed it.
            var expired = 0;
            foreach (var id in due)
            {
                try
                {
                    expired += await ExpireAsync([id], now, cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Another instance expired it (or the customer acted) first.
                }
            }

            return new Batch(expired, full);
        }
    }

    /// <summary>Expires those of <paramref name="ids"/> still Pending, in one transaction (one SaveChanges).</summary>
    private async Task<int> ExpireAsync(IReadOnlyCollection<int> ids, DateTime now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var requests = await db.Requests.Include(r => r.PartnerUser).Include(r => r.Organisation)
            .Where(r => ids.Contains(r.Id) && r.Status == RequestStatus.Pending)
            .ToListAsync(cancellationToken);
        foreach (var request in requests)
        {
            cancellationToken.ThrowIfCancellationRequested();
            request.Expire(now);
            await mailer.ExpiredAsync(request, Sender.Of(request.PartnerUser!, request.Organisation!.Name));
        }

        await mailer.WithdrawLinksAsync(requests.Select(r => r.Id).ToList(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        foreach (var request in requests)
        {
            Log.RequestExpired(logger, request.Reference);
        }

        return requests.Count;
    }
}
