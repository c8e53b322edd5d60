namespace SmartAccountPortal.Domain;

/// <summary>What happened to a request; one row of its history. Stored as text.</summary>
public enum RequestEventKind
{
    Submitted,
    Activated,
    Declined,
    Cancelled,

    /// <summary>Cancelled by the vendor's licensing support rather than by the partner.</summary>
    CancelledBySupport,
    Expired,

    /// <summary>The activation e-mail was sent again with a new link; the old link stopped working.</summary>
    Resent,

    /// <summary>Support put a failed e-mail back in the queue.</summary>
    MailRetried,

    /// <summary>An e-mail about the request was accepted by the mail server.</summary>
    MailSent,

    /// <summary>An e-mail about the request could not be sent after every attempt.</summary>
    MailFailed,
}
