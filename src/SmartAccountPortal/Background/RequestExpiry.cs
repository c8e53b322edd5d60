using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Background;

/// <summary>
/// Expires requests still Pending at their expiry time. Each expiry (the state change, its
/// history entry, both notices, and withdrawing the unsent activation link) is one
/// transaction, saved under the request's concurrency token: of two instances expiring the
/// same request, one saves and the other's save is refused, so the notices go out once. A crash
/// rolls the whole transaction back and the next tick does it again.
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

        var expired = 0;
        foreach (var id in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            db.ChangeTracker.Clear();
            var request = await db.Requests.Include(r => r.PartnerUser).Include(r => r.Organisation)
                .SingleAsync(r => r.Id == id, cancellationToken);
            if (request.Status != RequestStatus.Pending)
            {
                continue;
            }

            request.Expire(now);
            await mailer.ExpiredAsync(request, Sender.Of(request.PartnerUser!, request.Organisation!.Name));
            await mailer.WithdrawLinksAsync(request.Id, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                expired++;
                Log.RequestExpired(logger, request.Reference);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance expired it (or the customer acted) first.
            }
        }

        return new Batch(expired, due.Count == background.Value.BatchSize);
    }
}
