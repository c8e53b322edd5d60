using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Outbox;

/// <summary>
/// Sends the outbox's due items, e-mails and webhook deliveries alike, each through its
/// channel (<see cref="IOutboxChannel"/>). Items are claimed a few at a time with a lease (owner
/// and time, and a new concurrency token) in one statement, so two instances never send the
/// same one; each is marked Sent only after the other side accepted it, and what a claim's items
/// came to is saved together. Failures wait longer each time (exponential backoff with jitter)
/// and, after the last attempt, leave the item Failed with its error.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes,
    PortalDbContext db,
    IEnumerable<IOutboxChannel> channels,
    TimeProvider clock,
    IOptions<BackgroundOptions> background,
    WorkerIdentity worker,
    ILogger<OutboxSender> logger)
{
    /// <summary>The outbox table's column naming an item's <see cref="OutboxChannel"/>.</summary>
    public const string ChannelColumn = "Channel";

    /// <summary>
    /// How many items one claim takes at most: small enough that a crash resends little (at
    /// least once, with the same id) and that results are on record soon even from a slow
    /// server; large enough that claiming and recording cost one write each for several sends.
    /// </summary>
    internal const int MessagesPerClaim = 10;

    /// <summary>
    /// A claim must be done within its lease even if every item takes the whole timeout (else
    /// another instance would take it over and send again): with the defaults (5 minutes, 30 s)
    /// five e-mails a claim.
    /// </summary>
    private int MostPerClaim(IOutboxChannel channel) => (int)Math.Clamp(
        background.Value.LeaseDuration.TotalSeconds / (2.0 * Math.Max(1, channel.AttemptTimeout.TotalSeconds)), 1, MessagesPerClaim);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Sends what is due now (one batch per channel); returns how many items were accepted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken) => (await SendBatchAsync(cancellationToken)).Done;

    /// <summary>Sends one batch (Background:BatchSize) of due items of each channel, the channels side by side.</summary>
    public async Task<Background.Batch> SendBatchAsync(CancellationToken cancellationToken)
    {
        var batches = await Task.WhenAll(channels.Select(c => SendBatchAsync(c, cancellationToken)));
        return new Background.Batch(batches.Sum(b => b.Done), Full: batches.Any(b => b.MoreWaiting));
    }

    private async Task<Background.Batch> SendBatchAsync(IOutboxChannel channel, CancellationToken cancellationToken)
    {
        var now = Now;
        var name = channel.Channel.ToString();
        int due;
        using (var scope = scopes.CreateScope())
        {
            // Its own context: the channels count side by side.
            var counting = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            due = await counting.OutboxItems.AsNoTracking()
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now)
                            && EF.Property<string>(m, ChannelColumn) == name)
                .OrderBy(m => m.NextAttemptAt) // the claim's order; a limit without one is logged as a warning
                .Select(m => m.Id)
                .Take(background.Value.BatchSize)
                .CountAsync(cancellationToken);
        }

        if (due == 0)
        {
            return new Background.Batch(0, Full: false);
        }

        // Several lanes at once (the channel's Connections), each with its own context and
        // connection, claiming its own items until the batch is used up or nothing is due.
        // When the other side is down, every lane of the channel stops taking items.
        var budget = background.Value.BatchSize;
        var claimed = 0;
        var sent = 0;
        var down = false;
        // A few items are spread over the lanes too, so a slow server gets them all at once.
        var lanes = Math.Min(channel.Connections, due);
        var perClaim = Math.Clamp((due + lanes - 1) / lanes, 1, MostPerClaim(channel));
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            using var scope = scopes.CreateScope();
            var lane = ActivatorUtilities.CreateInstance<OutboxSender>(scope.ServiceProvider, worker);
            var laneChannel = lane.ChannelOf(channel.Channel);
            while (!Volatile.Read(ref down) && Take(ref budget, perClaim) is var take and > 0)
            {
                var result = await lane.SendClaimAsync(laneChannel, take, cancellationToken);
                Interlocked.Add(ref claimed, result.Claimed);
                Interlocked.Add(ref sent, result.Sent);
                if (result.ChannelDown)
                {
                    // The rest of the batch waits for the next tick instead of spending an attempt each.
                    Volatile.Write(ref down, true);
                }

                if (result.Claimed < take)
                {
                    break;
                }
            }
        }));

        return new Background.Batch(sent, Full: !down && claimed == background.Value.BatchSize);
    }

    /// <summary>This sender's (this scope's) instance of a channel.</summary>
    private IOutboxChannel ChannelOf(OutboxChannel kind) => channels.Single(c => c.Channel == kind);

    /// <summary>Takes up to <paramref name="most"/> from a budget shared by the lanes.</summary>
    private static int Take(ref int budget, int most)
    {
        while (true)
        {
            var left = Volatile.Read(ref budget);
            var take = Math.Min(left, most);
            if (take <= 0 || Interlocked.CompareExchange(ref budget, left - take, left) == left)
            {
                return Math.Max(take, 0);
            }
        }
    }

    private readonly record struct ClaimResult(int Claimed, int Sent, bool ChannelDown);

    /// <summary>
    /// Claims up to <paramref name="take"/> items, sends them one after the other, and saves
    /// what became of each in one transaction. When the other side turns out to be down, or the
    /// work is cancelled, the items not yet tried are released at once for the next tick.
    /// </summary>
    private async Task<ClaimResult> SendClaimAsync(IOutboxChannel channel, int take, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = Now;
        var items = await db.ClaimDueAsync(channel.Channel, worker.Name, now, now + background.Value.LeaseDuration, take, cancellationToken);
        if (items.Count == 0)
        {
            return default;
        }

        var sent = new List<OutboxItem>();
        var down = false;
        var tried = 0;
        try
        {
            await channel.PrepareAsync(items, cancellationToken);
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var attempt = await channel.SendAsync(item, cancellationToken);
                tried++;
                switch (attempt.Result)
                {
                    case AttemptResult.Sent:
                        Succeeded(channel, item);
                        sent.Add(item);
                        break;
                    case AttemptResult.Withdrawn:
                        item.Status = OutboxStatus.Cancelled;
                        Release(item);
                        break;
                    case AttemptResult.Held:
                        item.Status = OutboxStatus.Held;
                        Release(item);
                        break;
                    case AttemptResult.Deferred:
                        item.NextAttemptAt = Now + channel.Retry.BaseDelay;
                        Release(item);
                        break;
                    default:
                        await RecordFailureAsync(channel, item, attempt.Error!, cancellationToken);
                        down = attempt.Result == AttemptResult.ChannelDown;
                        break;
                }

                if (down)
                {
                    break;
                }
            }
        }
        finally
        {
            // Not tried, or cancelled while being sent (it may have arrived: sending it again is
            // at least once, recognisable by its id).
            foreach (var untried in items.Skip(tried))
            {
                Release(untried);
            }

            await SaveAsync(channel);
        }

        foreach (var item in sent)
        {
            Log.OutboxSent(logger, item.Id, channel.Channel.ToString(), item.Attempts);
        }

        return new ClaimResult(items.Count, sent.Count, down);
    }

    private void Succeeded(IOutboxChannel channel, OutboxItem item)
    {
        var now = Now;
        item.Status = OutboxStatus.Sent;
        item.SentAt = now;
        item.Attempts++;
        item.LastError = null;
        Release(item);
        channel.Sent(item, now);
    }

    private async Task RecordFailureAsync(IOutboxChannel channel, OutboxItem item, string error, CancellationToken cancellationToken)
    {
        var now = Now;
        item.Attempts++;
        item.LastError = Truncate(error, 1000);
        Release(item);
        var final = item.Attempts >= channel.Retry.MaxAttempts;
        if (final)
        {
            item.Status = OutboxStatus.Failed;
            Log.OutboxFailed(logger, item.Id, channel.Channel.ToString(), item.Attempts, item.LastError);
        }
        else
        {
            item.NextAttemptAt = now + Backoff(item.Attempts, channel.Retry);
            Log.OutboxRetry(logger, item.Id, channel.Channel.ToString(), item.Attempts, item.NextAttemptAt, item.LastError);
        }

        await channel.FailedAsync(item, final, now, cancellationToken);
    }

    /// <summary>base × 2^(attempts−1), at most the maximum, then ±20 % so many failures do not retry in step.</summary>
    internal static TimeSpan Backoff(int attempts, RetryPolicy policy)
    {
        var exponential = policy.BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, policy.MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private static void Release(OutboxItem item)
    {
        item.LeaseOwner = null;
        item.LeaseUntil = null;
    }

    /// <summary>Saves what became of a claim's items, with what the channel keeps beside them, in one transaction.</summary>
    private async Task SaveAsync(IOutboxChannel channel)
    {
        // Not cancellable: once the other side has an item, recording that must not be skipped.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await channel.SavingAsync(Now, CancellationToken.None);
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException conflict)
            {
                // Our lease ran out mid-send and another instance took an item over (or it was
                // deleted with its endpoint): it may go out twice, recognisable by its id (at
                // least once, never lost). That item is the other instance's now; the rest of
                // the claim is saved.
                foreach (var entry in conflict.Entries)
                {
                    if (entry.Entity is OutboxItem item)
                    {
                        Log.LeaseLost(logger, item.Id);
                    }

                    entry.State = EntityState.Detached;
                }
            }
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
