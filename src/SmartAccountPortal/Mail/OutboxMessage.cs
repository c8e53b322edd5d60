using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Mail;

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
    WebhookPaused,
}

/// <summary>
/// One e-mail in the outbox (see <see cref="OutboxItem"/>): written in the same transaction as
/// the change that causes it and sent later by the background service.
/// </summary>
public sealed class OutboxMessage : OutboxItem
{
    /// <summary>Stands in the bodies where the link goes; the link itself is kept encrypted.</summary>
    public const string LinkPlaceholder = "{{link}}";

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
}
