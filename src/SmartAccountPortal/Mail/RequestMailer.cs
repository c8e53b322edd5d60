using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Mail;

/// <summary>Who a partner's e-mails come from and go to: their address, organisation and language.</summary>
public sealed record Sender(string Email, string Organisation, string Language)
{
    public static Sender Of(PortalUser partner, string organisation) =>
        new(partner.Email!, organisation, partner.PreferredLanguage ?? Texts.DefaultCulture);
}

/// <summary>
/// Writes the e-mails a change causes into the outbox. It only adds rows to the context: the
/// caller's SaveChanges stores them together with the change, in one transaction.
/// </summary>
public sealed class RequestMailer(
    PortalDbContext db,
    TimeProvider clock,
    IDataProtectionProvider protection,
    IOptions<PortalOptions> portal,
    IOptions<RequestOptions> requests,
    MailRenderer renderer)
{
    public const string LinkProtectionPurpose = "SmartAccountPortal.Mail.Link";

    private IDataProtector Protector => protection.CreateProtector(LinkProtectionPurpose);

    private Uri BaseUrl => portal.Value.PublicBaseUrl!;

    public static string ActivationPath(string token) => "/Activation/" + token;

    /// <summary>The activation e-mail, now, and its reminder, scheduled before expiry; both carry the same link.</summary>
    public Task SubmittedAsync(AccountRequest request, Sender partner, string token) =>
        ActivationLinkAsync(request, partner, token, resent: false);

    /// <summary>A new activation link (the old one no longer works), with a reminder of its own.</summary>
    public async Task ResentAsync(AccountRequest request, Sender partner, string token, CancellationToken cancellationToken)
    {
        await WithdrawLinksAsync(request.Id, cancellationToken);
        await ActivationLinkAsync(request, partner, token, resent: true);
    }

    /// <summary>The customer hears the partner cancelled, so an old e-mail's link is not a mystery.</summary>
    public async Task CancelledAsync(AccountRequest request, Sender partner, string? reason)
    {
        using var _ = Composing(request.CustomerLanguage);
        await AddAsync(request, MailKind.CancelledCustomer, request.CustomerEmail,
            Texts.Format("Mail.Cancelled.Subject", request.AccountDomain),
            clock.GetUtcNow().UtcDateTime, null,
            [
                Texts.Format("Mail.Cancelled.Text", partner.Organisation),
                .. Details(request),
                .. Quoted(Texts.Get("Mail.Cancelled.Reason"), reason),
                Texts.Format("Mail.Cancelled.AskAgain", partner.Organisation, partner.Email),
            ],
            ToCustomerBecause(request, partner.Organisation));
    }

    private async Task ActivationLinkAsync(AccountRequest request, Sender partner, string token, bool resent)
    {
        using var _ = Composing(request.CustomerLanguage);
        var link = new Uri(BaseUrl, ActivationPath(token)).AbsoluteUri;
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = Display.Date(request.ExpiresAt);
        var users = request.UserEmails.Count == 0 ? Texts.Get("Mail.Activation.NoUsers") : Texts.Format("Mail.Activation.Users", string.Join(", ", request.UserEmails));
        await AddAsync(request, MailKind.Activation, request.CustomerEmail,
            Texts.Format("Mail.Activation.Subject", request.AccountDomain),
            now,
            link,
            [
                Texts.Format("Mail.Activation.Asked", partner.Email, partner.Organisation),
                .. resent ? [Texts.Get("Mail.Activation.Replaces")] : Array.Empty<string>(),
                .. Details(request),
                users,
                .. Quoted(Texts.Format("Mail.Note", partner.Organisation), request.NoteToCustomer),
                Texts.Format("Mail.Activation.OpenBy", expires),
                LinkPlaceholder,
                Texts.Get("Mail.Activation.NotYou"),
            ],
            ToCustomerBecause(request, partner.Organisation), Texts.Get("Activation.Activate"));

        var remindAt = request.ExpiresAt - requests.Value.RemindBeforeExpiry;
        if (remindAt > now)
        {
            await AddAsync(request, MailKind.Reminder, request.CustomerEmail,
                Texts.Format("Mail.Reminder.Subject", request.AccountDomain, expires),
                remindAt,
                link,
                [
                    Texts.Format("Mail.Reminder.Asked", partner.Email, partner.Organisation, Display.Date(request.SubmittedAt)),
                    .. Details(request),
                    users,
                    Texts.Format("Mail.Reminder.OpenBy", expires),
                    LinkPlaceholder,
                ],
                Texts.Format("Mail.Reminder.Why", partner.Organisation, request.CustomerEmail), Texts.Get("Activation.Activate"));
        }
    }

    /// <summary>The partner hears the account is active; each added user hears they have access.</summary>
    public async Task ActivatedAsync(AccountRequest request, Sender partner)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using (Composing(partner.Language))
        {
            await AddAsync(request, MailKind.Activated, partner.Email,
                Texts.Format("Mail.Activated.Subject", request.AccountName),
                now, null,
                [
                    Texts.Format("Mail.Activated.Text", request.CustomerEmail, request.Reference),
                    .. Details(request),
                    .. ForPartner(request),
                ],
                ToPartnerBecause(partner.Organisation));
        }

        using (Composing(request.CustomerLanguage))
        {
            foreach (var user in request.UserEmails)
            {
                await AddAsync(request, MailKind.AddedUserAccess, user,
                    Texts.Format("Mail.Access.Subject", request.AccountName),
                    now, null,
                    [
                        Texts.Format("Mail.Access.Text", request.AccountName, request.AccountDomain),
                        .. Quoted(Texts.Format("Mail.Note", partner.Organisation), request.NoteToAddedUsers),
                    ],
                    Texts.Format("Mail.Access.Why", partner.Organisation, user, request.CustomerEmail));
            }
        }
    }

    public async Task DeclinedAsync(AccountRequest request, Sender partner, string? reason)
    {
        using var _ = Composing(partner.Language);
        await AddAsync(request, MailKind.Declined, partner.Email,
            Texts.Format("Mail.Declined.Subject", request.AccountDomain),
            clock.GetUtcNow().UtcDateTime, null,
            [
                Texts.Format("Mail.Declined.Text", request.CustomerEmail, request.Reference),
                .. Details(request),
                .. reason is null ? [Texts.Get("Mail.Declined.NoReason")] : new[] { Texts.Get("Mail.Declined.Reason"), reason },
                Texts.Get("Mail.Declined.Again"),
                .. ForPartner(request),
            ],
            ToPartnerBecause(partner.Organisation));
    }

    /// <summary>Both sides hear the request expired, and that a new one can be made.</summary>
    public async Task ExpiredAsync(AccountRequest request, Sender partner)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var days = (int)Math.Round((request.ExpiresAt - request.SubmittedAt).TotalDays);
        using (Composing(partner.Language))
        {
            await AddAsync(request, MailKind.ExpiredPartner, partner.Email,
                Texts.Format("Mail.Expired.Subject", request.AccountDomain),
                now, null,
                [
                    Texts.Format("Mail.Expired.Partner", request.CustomerEmail, request.Reference, days),
                    .. Details(request),
                    Texts.Get("Mail.Expired.PartnerAgain"),
                    .. ForPartner(request),
                ],
                ToPartnerBecause(partner.Organisation));
        }

        using (Composing(request.CustomerLanguage))
        {
            await AddAsync(request, MailKind.ExpiredCustomer, request.CustomerEmail,
                Texts.Format("Mail.Expired.Subject", request.AccountDomain),
                now, null,
                [
                    Texts.Format("Mail.Expired.Customer", partner.Organisation, days),
                    .. Details(request),
                    Texts.Format("Mail.Expired.CustomerAgain", partner.Organisation, partner.Email),
                ],
                ToCustomerBecause(request, partner.Organisation));
        }
    }

    /// <summary>
    /// Writes in <paramref name="language"/> with dates on the portal's default clock
    /// (Portal:DefaultTimeZone), whoever's action causes the e-mail.
    /// </summary>
    private IDisposable Composing(string language)
    {
        currentLanguage = language;
        return ReaderTimeZone.Use(ReaderTimeZone.Find(portal.Value.DefaultTimeZone) ?? TimeZoneInfo.Utc, System.Globalization.CultureInfo.GetCultureInfo(language));
    }

    private string currentLanguage = Texts.DefaultCulture;

    /// <summary>The request's page, and for a closed request the way to make it again, as links the partner can follow.</summary>
    private string[] ForPartner(AccountRequest request)
    {
        var view = Texts.Format("Mail.Partner.View", new Uri(BaseUrl, "/Requests/" + request.Reference).AbsoluteUri);
        return request.CanBeRequestedAgain
            ? [view, Texts.Format("Mail.Partner.Again", new Uri(BaseUrl, "/Requests/New?from=" + request.Reference).AbsoluteUri)]
            : [view];
    }

    /// <summary>
    /// Withdraws the request's unsent e-mails that carry its activation link (the first
    /// e-mail if still waiting, the reminder), erasing the encrypted link. Part of the
    /// caller's transaction, like everything here. A message an instance is sending right now
    /// (leased) is left to it: touching it would make the caller's change fail, and the sender
    /// withdraws a link whose request has closed by itself.
    /// </summary>
    public async Task WithdrawLinksAsync(int requestId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var waiting = await db.OutboxMessages
            .Where(m => m.AccountRequestId == requestId && m.Status == OutboxStatus.Pending
                        && (m.Kind == MailKind.Activation || m.Kind == MailKind.Reminder)
                        && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ToListAsync(cancellationToken);
        foreach (var message in waiting)
        {
            OutboxSender.Withdraw(message);
        }
    }

    public async Task PasswordResetAsync(string email, string language, Uri link)
    {
        using var _ = Composing(language);
        await AddAsync(null, MailKind.PasswordReset, email,
            Texts.Get("Mail.Reset.Subject"),
            clock.GetUtcNow().UtcDateTime, link.AbsoluteUri,
            [
                Texts.Get("Mail.Reset.Text"),
                LinkPlaceholder,
                Texts.Get("Mail.Reset.NotYou"),
            ],
            Texts.Format("Mail.Reset.Why", email), Texts.Get("Account.Reset.Title"));
    }

    private const string LinkPlaceholder = OutboxMessage.LinkPlaceholder;

    private static string ToCustomerBecause(AccountRequest request, string organisation) =>
        Texts.Format("Mail.WhyCustomer", organisation, request.CustomerEmail);

    private static string ToPartnerBecause(string organisation) =>
        Texts.Format("Mail.WhyPartner", organisation);

    /// <summary>A heading and the text it introduces, or nothing when there is no text.</summary>
    private static string[] Quoted(string heading, string? text) => text is null ? [] : [heading, text];

    private static string[] Details(AccountRequest request) =>
    [
        $"{Texts.Get("Field.AccountName")}: {request.AccountName}\n{Texts.Get("Field.AccountDomain")}: {request.AccountDomain}\n{Texts.Get("Field.Reference")}: {request.Reference}",
    ];

    private async Task AddAsync(AccountRequest? request, MailKind kind, string to, string subject, DateTime due, string? link, string[] paragraphs, string why, string? button = null)
    {
        var view = new MailView(
            currentLanguage, portal.Value.ProductName, portal.Value.VendorName, subject, Texts.Get("Mail.Greeting"),
            paragraphs, button, Texts.Get("Mail.LinkHint"), why);
        var text = view.ToText();
        var html = await renderer.HtmlAsync(view);
        var message = new OutboxMessage
        {
            MessageId = $"<{Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()}@{BaseUrl.Host}>",
            Kind = kind,
            To = to,
            Subject = subject,
            TextBody = text,
            HtmlBody = html,
            ProtectedLink = link is null ? null : Protector.Protect(link),
            Language = currentLanguage,
            Status = OutboxStatus.Pending,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            NextAttemptAt = due,
        };
        // Through the navigation, so a request added in the same SaveChanges gets its key first.
        message.Request = request;
        db.OutboxMessages.Add(message);
    }

    /// <summary>The secret link a message carries, decrypted; null when it carries none.</summary>
    public string? LinkOf(OutboxMessage message) =>
        message.ProtectedLink is null ? null : Protector.Unprotect(message.ProtectedLink);

    /// <summary>The bodies as the recipient sees them: the link put back where the placeholder stands.</summary>
    public (string Text, string Html) Render(OutboxMessage message)
    {
        if (LinkOf(message) is not string link)
        {
            return (message.TextBody, message.HtmlBody);
        }

        return (message.TextBody.Replace(LinkPlaceholder, link, StringComparison.Ordinal),
                message.HtmlBody.Replace(LinkPlaceholder, WebUtility.HtmlEncode(link), StringComparison.Ordinal));
    }
}
