using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Mail;

/// <summary>
/// What an e-mail about a request may say: the request's facts, who asked for it, and the
/// portal's links to it. The templates in <c>Templates/</c> decide the words.
/// </summary>
public sealed record RequestMail(
    string Reference,
    string AccountName,
    string AccountDomain,
    string CustomerEmail,
    IReadOnlyList<string> UserEmails,
    string? NoteToCustomer,
    string? NoteToAddedUsers,
    DateTime SubmittedAt,
    DateTime ExpiresAt,
    string PartnerEmail,
    string PartnerOrganisation,
    Uri RequestUrl,
    Uri? RequestAgainUrl)
{
    /// <summary>How many days the customer had to activate, as the notices say it.</summary>
    public int DaysToActivate => (int)Math.Round((ExpiresAt - SubmittedAt).TotalDays);

    public static RequestMail Of(AccountRequest request, Sender partner, Uri baseUrl) => new(
        request.Reference,
        request.AccountName,
        Validation.InputRules.DisplayDomain(request.AccountDomain),
        request.CustomerEmail,
        request.UserEmails,
        request.NoteToCustomer,
        request.NoteToAddedUsers,
        request.SubmittedAt,
        request.ExpiresAt,
        partner.Email,
        partner.Organisation,
        new Uri(baseUrl, "/Requests/" + request.Reference),
        request.CanBeRequestedAgain ? new Uri(baseUrl, "/Requests/New?from=" + request.Reference) : null);
}
