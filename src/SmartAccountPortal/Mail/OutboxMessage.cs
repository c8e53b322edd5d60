namespace SmartAccountPortal.Mail;

public enum OutboxStatus
{
    /// <summary>Waiting to be sent (first try or a retry) at <see cref="OutboxMessage.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>Accepted by the mail server.</summary>
    Sent,

    /// <summary>Every attempt failed; support can retry it.</summary>
    Failed,

    /// <summary>No longer wanted (its request closed before it was due); never sent.</summary>
    Cancelled,
}

public enum MailKind
{
    Activation,
    Reminder,
    Activated,
    AddedUserAccess,
    Declined,
    ExpiredPartner,
    ExpiredCustomer,
    CancelledCustomer,
    CancelledPartner,
    PasswordReset,
    Invitation,
}

/// <summary>
/// One e-mail, written in the same transaction as the change that causes it and sent later by
/// the background service, so a crash or an SMTP outage never loses it.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Stands in the bodies where the link goes; the link itself is kept encrypted.</summary>
    public const string LinkPlaceholder = "{{link}}";

    public long Id { get; set; }

    /// <summary>Stable across retries, so a duplicate after a crash is recognisable as one.</summary>
    public string MessageId { get; set; } = "";

    public int? AccountRequestId { get; set; }

    public Domain.AccountRequest? Request { get; set; }

    public MailKind Kind { get; set; }

    public string To { get; set; } = "";

    /// <summary>Empty until the message is written: expiry's notices are queued unwritten and written when sent.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Whether subject and bodies are written (see <see cref="Subject"/>).</summary>
    public bool IsWritten => Subject.Length > 0;

    /// <summary>The language it is written in (sent as Content-Language).</summary>
    public string Language { get; set; } = Localization.Texts.DefaultCulture;

    public string TextBody { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    /// <summary>
    /// The secret link (activation or password reset), encrypted with Data Protection; erased
    /// once the message is sent or cancelled. The bodies hold <see cref="LinkPlaceholder"/>.
    /// </summary>
    public string? ProtectedLink { get; set; }

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
}
