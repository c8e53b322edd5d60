namespace SmartAccountPortal.Domain;

/// <summary>What a partner asks for, already validated and normalised.</summary>
public sealed record RequestDetails(
    string AccountName,
    string CustomerEmail,
    string AccountDomain,
    string? NoteToCustomer,
    IReadOnlyList<string> UserEmails,
    string? NoteToAddedUsers,
    string CustomerLanguage = Localization.Texts.DefaultCulture);
