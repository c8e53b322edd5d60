namespace SmartAccountPortal.Outbox;

/// <summary>What one attempt to send an item came to.</summary>
public enum AttemptResult
{
    /// <summary>Accepted by the other side.</summary>
    Sent,

    /// <summary>No longer wanted; marked Cancelled, never sent.</summary>
    Withdrawn,

    /// <summary>Kept back (a paused webhook endpoint) until queued again.</summary>
    Held,

    /// <summary>This item failed; it is tried again later, or left Failed after its last attempt.</summary>
    Failed,

    /// <summary>The other side is down: this item failed, and the channel takes nothing more until the next tick.</summary>
    ChannelDown,

    /// <summary>Not tried now (its destination failed moments ago); no attempt is spent, and it waits the first retry delay.</summary>
    Deferred,
}

public readonly record struct Attempt(AttemptResult Result, string? Error = null)
{
    public static Attempt Sent => new(AttemptResult.Sent);

    public static Attempt Withdrawn => new(AttemptResult.Withdrawn);

    public static Attempt Held => new(AttemptResult.Held);

    public static Attempt Failed(string error) => new(AttemptResult.Failed, error);

    public static Attempt Down(string error) => new(AttemptResult.ChannelDown, error);

    public static Attempt Deferred => new(AttemptResult.Deferred);
}

/// <summary>How often a channel tries an item, and how long it waits in between.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay);

/// <summary>
/// One way out of the outbox (e-mail over SMTP, webhooks over HTTPS). <see cref="OutboxSender"/>
/// claims, leases, retries and records; a channel only sends an item and says what that
/// means for the rest of the portal. A scoped service: each sending lane has its own.
/// </summary>
public interface IOutboxChannel
{
    OutboxChannel Channel { get; }

    /// <summary>How many items are sent at once, each lane over its own connection.</summary>
    int Connections { get; }

    /// <summary>The longest one attempt may take, so a claim fits in its lease.</summary>
    TimeSpan AttemptTimeout { get; }

    RetryPolicy Retry { get; }

    /// <summary>Loads what sending a claim's items needs (their requests, endpoints), tracked.</summary>
    Task PrepareAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken);

    /// <summary>One attempt; never throws for the other side's failures.</summary>
    Task<Attempt> SendAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>After a successful attempt: what else the portal records (a history entry, an endpoint's health).</summary>
    void Sent(OutboxItem item, DateTime now);

    /// <summary>After a failed attempt; <paramref name="final"/> when it was the last.</summary>
    Task FailedAsync(OutboxItem item, bool final, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Just before a claim's results are saved, in the same transaction: what the channel keeps
    /// beside the items themselves (an endpoint's health) and must change atomically.
    /// </summary>
    Task SavingAsync(DateTime now, CancellationToken cancellationToken);
}
