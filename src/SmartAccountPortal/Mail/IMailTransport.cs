using System.Net.Mail;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Hands one message to the mail system. The only class that knows how mail leaves the
/// portal, so a different library replaces this and nothing else.
/// </summary>
public interface IMailTransport
{
    /// <summary>Returns once the SMTP server (or the pickup folder) has accepted the message; throws otherwise.</summary>
    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}
