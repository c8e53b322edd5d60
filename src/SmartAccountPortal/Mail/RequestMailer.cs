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

/// <summary>
/// Writes the e-mails a change causes into the outbox. It only adds rows to the context: the
/// caller's SaveChanges stores them together with the change, in one transaction.
/// </summary>
/// <summary>Who a partner's e-mails come from and go to: their address, organisation and language.</summary>
public sealed record Sender(string Email, string Organisation, string Language)
{
    public static Sender Of(PortalUser partner, string organisation) =>
        new(partner.Email!, organisation, partner.PreferredLanguage ?? Texts.DefaultCulture);
}

public sealed class RequestMailer(
    PortalDbContext db,
    TimeProvider clock,
    IDataProtectionProvider protection,
    IOptions<PortalOptions> portal,
    IOptions<RequestOptions> requests)
{
    public const string LinkProtectionPurpose = "SmartAccountPortal.Mail.Link";

    private IDataProtector Protector => protection.CreateProtector(LinkProtectionPurpose);

    private Uri BaseUrl => portal.Value.PublicBaseUrl!;

    public static string ActivationPath(string token) => "/Activation/" + token;

    /// <summary>The activation e-mail, now, and its reminder, scheduled before expiry; both carry the same link.</summary>
    public void Submitted(AccountRequest request, Sender partner, string token) =>
        ActivationLink(request, partner, token, resent: false);

    /// <summary>A new activation link (the old one no longer works), with a reminder of its own.</summary>
    public async Task ResentAsync(AccountRequest request, Sender partner, string token, CancellationToken cancellationToken)
    {
        await WithdrawLinksAsync(request.Id, cancellationToken);
        ActivationLink(request, partner, token, resent: true);
    }

    /// <summary>The customer hears the partner cancelled, so an old e-mail's link is not a mystery.</summary>
    public void Cancelled(AccountRequest request, Sender partner, string? reason)
    {
        using var _ = Composing(request.CustomerLanguage);
        Add(request, MailKind.CancelledCustomer, request.CustomerEmail,
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

    private void ActivationLink(AccountRequest request, Sender partner, string token, bool resent)
    {
        using var _ = Composing(request.CustomerLanguage);
        var link = new Uri(BaseUrl, ActivationPath(token)).AbsoluteUri;
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = Display.Date(request.ExpiresAt);
        var users = request.UserEmails.Count == 0 ? Texts.Get("Mail.Activation.NoUsers") : Texts.Format("Mail.Activation.Users", string.Join(", ", request.UserEmails));
        Add(request, MailKind.Activation, request.CustomerEmail,
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
            ToCustomerBecause(request, partner.Organisation));

        var remindAt = request.ExpiresAt - requests.Value.RemindBeforeExpiry;
        if (remindAt > now)
        {
            Add(request, MailKind.Reminder, request.CustomerEmail,
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
                Texts.Format("Mail.Reminder.Why", partner.Organisation, request.CustomerEmail));
        }
    }

    /// <summary>The partner hears the account is active; each added user hears they have access.</summary>
    public void Activated(AccountRequest request, Sender partner)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using (Composing(partner.Language))
        {
            Add(request, MailKind.Activated, partner.Email,
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
                Add(request, MailKind.AddedUserAccess, user,
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

    public void Declined(AccountRequest request, Sender partner, string? reason)
    {
        using var _ = Composing(partner.Language);
        Add(request, MailKind.Declined, partner.Email,
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
    public void Expired(AccountRequest request, Sender partner)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var days = (int)Math.Round((request.ExpiresAt - request.SubmittedAt).TotalDays);
        using (Composing(partner.Language))
        {
            Add(request, MailKind.ExpiredPartner, partner.Email,
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
            Add(request, MailKind.ExpiredCustomer, request.CustomerEmail,
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
    private string[] ForPartner(AccountRequest request) =>
        request.IsOpen(clock.GetUtcNow().UtcDateTime)
            ? [Texts.Format("Mail.Partner.View", new Uri(BaseUrl, "/Requests/" + request.Reference).AbsoluteUri)]
            : [Texts.Format("Mail.Partner.View", new Uri(BaseUrl, "/Requests/" + request.Reference).AbsoluteUri),
               Texts.Format("Mail.Partner.Again", new Uri(BaseUrl, "/Requests/New?from=" + request.Reference).AbsoluteUri)];

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

    public void PasswordReset(string email, string language, Uri link)
    {
        using var _ = Composing(language);
        Add(null, MailKind.PasswordReset, email,
            Texts.Get("Mail.Reset.Subject"),
            clock.GetUtcNow().UtcDateTime, link.AbsoluteUri,
            [
                Texts.Get("Mail.Reset.Text"),
                LinkPlaceholder,
                Texts.Get("Mail.Reset.NotYou"),
            ],
            Texts.Format("Mail.Reset.Why", email));
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

    private void Add(AccountRequest? request, MailKind kind, string to, string subject, DateTime due, string? link, string[] paragraphs, string why)
    {
        var text = string.Join("\n\n", paragraphs) + "\n\n--\n" + why + "\n";
        var html = $"<!DOCTYPE html><html lang=\"{currentLanguage}\"><head><meta charset=\"utf-8\"><title>{Encode(subject)}</title></head><body style=\"font-family:sans-serif;line-height:1.5\">"
                   + string.Concat(paragraphs.Select(HtmlParagraph))
                   + "<hr><p style=\"color:#555;font-size:90%\">" + Encode(why) + "</p></body></html>";
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

    private static string HtmlParagraph(string paragraph) =>
        paragraph == LinkPlaceholder
            ? $"<p><a href=\"{LinkPlaceholder}\">{LinkPlaceholder}</a></p>"
            : "<p>" + Encode(paragraph).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

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
