using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Writes the e-mails a change causes into the outbox. It only adds rows to the context: the
/// caller's SaveChanges stores them together with the change, in one transaction.
/// </summary>
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
    public void Submitted(AccountRequest request, string partnerEmail, string organisation, string token)
    {
        using var _ = Composing();
        ActivationLink(request, partnerEmail, organisation, token, resent: false);
    }

    /// <summary>
    /// E-mails are written in English for now, whoever's action causes them, with dates on the
    /// portal's default clock (Portal:DefaultTimeZone), the same for every recipient.
    /// </summary>
    private IDisposable Composing() =>
        ReaderTimeZone.Use(ReaderTimeZone.Find(portal.Value.DefaultTimeZone) ?? TimeZoneInfo.Utc, System.Globalization.CultureInfo.GetCultureInfo("en"));

    /// <summary>A new activation link (the old one no longer works), with a reminder of its own.</summary>
    public async Task ResentAsync(AccountRequest request, string partnerEmail, string organisation, string token, CancellationToken cancellationToken)
    {
        await WithdrawLinksAsync(request.Id, cancellationToken);
        using var _ = Composing();
        ActivationLink(request, partnerEmail, organisation, token, resent: true);
    }

    /// <summary>The customer hears the partner cancelled, so an old e-mail's link is not a mystery.</summary>
    public void Cancelled(AccountRequest request, string partnerEmail, string organisation, string? reason)
    {
        using var _ = Composing();
        var because = Quoted("The reason given:", reason);
        Add(request, MailKind.CancelledCustomer, request.CustomerEmail,
            $"Smart Account request for {request.AccountDomain} cancelled",
            clock.GetUtcNow().UtcDateTime, null,
            [
                $"{organisation} cancelled the Smart Account it requested for your company, so the activation link you received no longer works. Nothing was created.",
                .. Details(request),
                .. because,
                $"If you still need a Smart Account, ask {organisation} ({partnerEmail}) to request a new one.",
            ],
            ToCustomerBecause(request, organisation));
    }

    private void ActivationLink(AccountRequest request, string partnerEmail, string organisation, string token, bool resent)
    {
        var link = new Uri(BaseUrl, ActivationPath(token)).AbsoluteUri;
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = Display.Date(request.ExpiresAt);
        var note = Quoted($"{organisation} added this note:", request.NoteToCustomer);

        var replaced = resent ? ["This e-mail replaces an earlier one: only the link below works now."] : Array.Empty<string>();
        Add(request, MailKind.Activation, request.CustomerEmail,
            $"Activate your company's Smart Account for {request.AccountDomain}",
            now,
            link,
            [
                $"{partnerEmail} at {organisation} has asked for a Smart Account for your company, and named you as the person who approves it.",
                .. replaced,
                .. Details(request),
                .. note,
                $"To activate the Smart Account, open this link by {expires}:",
                LinkPlaceholder,
                "If you do not recognise this request, you can decline it from the same page, or simply ignore this e-mail: the request expires on its own.",
            ],
            ToCustomerBecause(request, organisation));

        var remindAt = request.ExpiresAt - requests.Value.RemindBeforeExpiry;
        if (remindAt > now)
        {
            Add(request, MailKind.Reminder, request.CustomerEmail,
                $"Reminder: the Smart Account for {request.AccountDomain} expires on {expires}",
                remindAt,
                link,
                [
                    $"{partnerEmail} at {organisation} asked for a Smart Account for your company on {Display.Date(request.SubmittedAt)}. It has not been activated yet.",
                    .. Details(request),
                    $"The request expires on {expires}. To activate the Smart Account before then, open this link:",
                    LinkPlaceholder,
                ],
                $"You receive this reminder because {organisation} named {request.CustomerEmail} as the approver of this Smart Account.");
        }
    }

    /// <summary>The partner hears the account is active; each added user hears they have access.</summary>
    public void Activated(AccountRequest request, string partnerEmail, string organisation)
    {
        using var _ = Composing();
        var now = clock.GetUtcNow().UtcDateTime;
        Add(request, MailKind.Activated, partnerEmail,
            $"Smart Account {request.AccountName} activated by the customer",
            now, null,
            [
                $"{request.CustomerEmail} activated the Smart Account you requested ({request.Reference}).",
                .. Details(request),
            ],
            ToPartnerBecause(organisation));

        foreach (var user in request.UserEmails)
        {
            var note = Quoted($"{organisation} added this note:", request.NoteToAddedUsers);
            Add(request, MailKind.AddedUserAccess, user,
                $"You have access to the Smart Account {request.AccountName}",
                now, null,
                [
                    $"The Smart Account {request.AccountName} ({request.AccountDomain}) is now active, and you have access to it.",
                    .. note,
                ],
                $"You receive this e-mail because {organisation} added {user} as a user when it requested this Smart Account, and {request.CustomerEmail} activated it.");
        }
    }

    public void Declined(AccountRequest request, string partnerEmail, string organisation, string? reason)
    {
        using var _ = Composing();
        var because = reason is null ? ["The customer gave no reason."] : new[] { "The customer's reason:", reason };
        Add(request, MailKind.Declined, partnerEmail,
            $"Smart Account request for {request.AccountDomain} declined",
            clock.GetUtcNow().UtcDateTime, null,
            [
                $"{request.CustomerEmail} declined the Smart Account you requested ({request.Reference}).",
                .. Details(request),
                .. because,
                "You can make a new request when the customer is ready.",
            ],
            ToPartnerBecause(organisation));
    }

    /// <summary>Both sides hear the request expired, and that a new one can be made.</summary>
    public void Expired(AccountRequest request, string partnerEmail, string organisation)
    {
        using var _ = Composing();
        var now = clock.GetUtcNow().UtcDateTime;
        var days = (int)Math.Round((request.ExpiresAt - request.SubmittedAt).TotalDays);
        Add(request, MailKind.ExpiredPartner, partnerEmail,
            $"Smart Account request for {request.AccountDomain} expired",
            now, null,
            [
                $"The customer ({request.CustomerEmail}) did not accept the Smart Account you requested ({request.Reference}) within {days} days, so the request expired.",
                .. Details(request),
                "When the customer is ready, you can simply request a new Smart Account for them.",
            ],
            ToPartnerBecause(organisation));
        Add(request, MailKind.ExpiredCustomer, request.CustomerEmail,
            $"Smart Account request for {request.AccountDomain} expired",
            now, null,
            [
                $"The Smart Account that {organisation} requested for your company was not activated within {days} days, so the request expired and the activation link no longer works.",
                .. Details(request),
                $"When you are ready, ask {organisation} ({partnerEmail}) to request a new Smart Account.",
            ],
            ToCustomerBecause(request, organisation));
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

    public void PasswordReset(string email, Uri link)
    {
        using var _ = Composing();
        Add(null, MailKind.PasswordReset, email,
            "Choose a new password for the Smart Account Portal",
            clock.GetUtcNow().UtcDateTime, link.AbsoluteUri,
            [
                "Someone asked to reset the password of your Smart Account Portal account. If it was you, choose a new password here:",
                LinkPlaceholder,
                "If it was not you, ignore this e-mail: your password stays as it is.",
            ],
            $"You receive this e-mail because {email} has an account on the Smart Account Portal.");
    }

    private const string LinkPlaceholder = OutboxMessage.LinkPlaceholder;

    private static string ToCustomerBecause(AccountRequest request, string organisation) =>
        $"You receive this e-mail because {organisation} named {request.CustomerEmail} as the approver of this Smart Account.";

    private static string ToPartnerBecause(string organisation) =>
        $"You receive this e-mail because you requested this Smart Account for {organisation}.";

    /// <summary>A heading and the text it introduces, or nothing when there is no text.</summary>
    private static string[] Quoted(string heading, string? text) => text is null ? [] : [heading, text];

    private static string[] Details(AccountRequest request) =>
    [
        $"Account Name: {request.AccountName}\nAccount Domain: {request.AccountDomain}\nReference: {request.Reference}",
    ];

    private void Add(AccountRequest? request, MailKind kind, string to, string subject, DateTime due, string? link, string[] paragraphs, string why)
    {
        var text = string.Join("\n\n", paragraphs) + "\n\n--\n" + why + "\n";
        var html = "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">"
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
