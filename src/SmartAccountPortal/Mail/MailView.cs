namespace SmartAccountPortal.Mail;

/// <summary>
/// What one e-mail says, already in its reader's language: the template (<c>Templates/MailBody.razor</c>)
/// lays it out as HTML, and <see cref="ToText"/> as the equivalent plain text.
/// </summary>
public sealed record MailView(
    string Language,
    string ProductName,
    string VendorName,
    string Subject,
    string Greeting,
    IReadOnlyList<string> Paragraphs,
    string? Button,
    string LinkHint,
    string Why)
{
    /// <summary>Stands where the secret link goes; the link itself is kept encrypted until sending.</summary>
    public const string LinkPlaceholder = OutboxMessage.LinkPlaceholder;

    /// <summary>The same words as the HTML, the link on a line of its own.</summary>
    public string ToText() =>
        Greeting + "\n\n" + string.Join("\n\n", Paragraphs) + "\n\n--\n" + Why + "\n" + ProductName + " · " + VendorName + "\n";
}
