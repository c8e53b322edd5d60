using System.Net.Mail;

namespace SmartAccountPortal.Mail;

/// <summary>Why an e-mail failed, as far as the next step depends on it.</summary>
public static class MailFailure
{
    /// <summary>
    /// The recipient's mail server refused the address (sending again to it cannot help), as
    /// opposed to the message not getting out at all (the mail service down or refusing us).
    /// The sender records the exception's type first in <see cref="Outbox.OutboxItem.LastError"/>.
    /// </summary>
    public static bool AddressRefused(OutboxMessage message) =>
        message.LastError is { } error
        && (error.StartsWith(nameof(SmtpFailedRecipientException) + ":", StringComparison.Ordinal)
            || error.StartsWith(nameof(SmtpFailedRecipientsException) + ":", StringComparison.Ordinal));

    /// <summary>The bare address e-mails come from ("no-reply@example.com" from "Portal &lt;no-reply@example.com&gt;").</summary>
    public static string SenderAddress(MailOptions options) =>
        MailAddress.TryCreate(options.From, out var address) ? address.Address : options.From;
}
