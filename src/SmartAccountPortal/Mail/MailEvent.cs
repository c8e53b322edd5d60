using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Mail;

/// <summary>
/// How an e-mail is named in a request's history. The history stores the facts (the kind, the
/// address, and for a failure the error), not a sentence, so each reader sees them in their own
/// language.
/// </summary>
public static class MailEvent
{
    /// <summary>"Activation it@example.com", or with the error after a space for a failure.</summary>
    public static string Detail(OutboxMessage message, string? error = null) =>
        error is null ? $"{message.Kind} {message.To}" : $"{message.Kind} {message.To} {error}";

    /// <summary>"Activation e-mail to it@example.com" (with ": error" for a failure) in the reader's language.</summary>
    public static string Describe(string? detail)
    {
        var parts = (detail ?? "").Split(' ', 3);
        if (parts.Length < 2 || !Enum.TryParse<MailKind>(parts[0], out var kind))
        {
            return detail ?? "";
        }

        var what = Describe(kind, parts[1]);
        return parts.Length == 3 ? what + ": " + parts[2] : what;
    }

    public static string Describe(MailKind kind, string to) => Texts.Format("Mail.What." + kind switch
    {
        MailKind.ExpiredCustomer or MailKind.ExpiredPartner => "Expired",
        _ => kind.ToString(),
    }, to);
}
