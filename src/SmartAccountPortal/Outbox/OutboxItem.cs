namespace SmartAccountPortal.Outbox;

public enum OutboxStatus
{
    /// <summary>Waiting to be sent (first try or a retry) at <see cref="OutboxItem.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>Accepted by the mail server, or answered 2xx by the webhook endpoint.</summary>
    Sent,

    /// <summary>Every attempt failed; it can be put back in the queue (support's Retry, a webhook's Redeliver).</summary>
    Failed,

    /// <summary>No longer wanted (its request closed before it was due, its endpoint deleted); never sent.</summary>
    Cancelled,

    /// <summary>A webhook delivery kept back while its endpoint is paused; queued again when it is resumed.</summary>
    Held,
}

/// <summary>How an outbox item leaves the portal; its name is the item's Channel column.</summary>
public enum OutboxChannel
{
    Mail,
    Webhook,
}

/// <summary>
/// Something to send after a change is saved: written in the same transaction as the change and
/// sent later by the background service, at least once, with backoff, so a crash or an outage
/// never loses it. An e-mail (<see cref="Mail.OutboxMessage"/>) or a webhook delivery
/// (<see cref="Webhooks.WebhookDelivery"/>), in one table and one queue (<see cref="OutboxSender"/>).
/// </summary>
public abstract class OutboxItem
{
    public long Id { get; set; }

    /// <summary>
    /// Stable across retries, so a duplicate after a crash is recognisable as one: the e-mail's
    /// Message-ID, or the webhook's <c>webhook-id</c>.
    /// </summary>
    public string MessageId { get; set; } = "";

    public int? AccountRequestId { get; set; }

    public Domain.AccountRequest? Request { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The instance that is sending it, until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>Concurrency token: a claim or an update from a stale copy fails.</summary>
    public int Version { get; set; }

    /// <summary>Queued again for a fresh set of attempts, now (support's Retry, a webhook's Redeliver).</summary>
    public void Requeue(DateTime now)
    {
        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LeaseOwner = null;
        LeaseUntil = null;
    }
}
