namespace SmartAccountPortal.Domain;

/// <summary>What happened to a request; one row of its history. Stored as text.</summary>
public enum RequestEventKind
{
    Submitted,
    Activated,
    Declined,
    Cancelled,
    Expired,

    /// <summary>An e-mail about the request was accepted by the mail server.</summary>
    MailSent,

    /// <summary>An e-mail about the request could not be sent after every attempt.</summary>
    MailFailed,
}
