using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Mail.Templates;

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
        await AddAsync<CancelledMail>(request, MailKind.CancelledCustomer, request.CustomerEmail, Now, link: null,
            new() { [nameof(CancelledMail.Mail)] = About(request, partner), [nameof(CancelledMail.Reason)] = reason });
    }

    /// <summary>
    /// Licensing support cancelled: the customer hears it from the vendor's licensing support
    /// (their internal reason is not theirs to read), the partner hears it with the reason.
    /// </summary>
    public async Task CancelledBySupportAsync(AccountRequest request, Sender partner, string reason)
    {
        var mail = About(request, partner);
        using (Composing(request.CustomerLanguage))
        {
            await AddAsync<CancelledMail>(request, MailKind.CancelledCustomer, request.CustomerEmail, Now, link: null,
                new() { [nameof(CancelledMail.Mail)] = mail, [nameof(CancelledMail.BySupport)] = true });
        }

        using (Composing(partner.Language))
        {
            await AddAsync<CancelledPartnerMail>(request, MailKind.CancelledPartner, partner.Email, Now, link: null,
                new() { [nameof(CancelledPartnerMail.Mail)] = mail, [nameof(CancelledPartnerMail.Reason)] = reason });
        }
    }

    private async Task ActivationLinkAsync(AccountRequest request, Sender partner, string token, bool resent)
    {
        using var _ = Composing(request.CustomerLanguage);
        var link = new Uri(BaseUrl, ActivationPath(token)).AbsoluteUri;
        var mail = About(request, partner);
        await AddAsync<ActivationMail>(request, MailKind.Activation, request.CustomerEmail, Now, link,
            new() { [nameof(ActivationMail.Mail)] = mail, [nameof(ActivationMail.Resent)] = resent });

        var remindAt = request.ExpiresAt - requests.Value.RemindBeforeExpiry;
        if (remindAt > Now)
        {
            await AddAsync<ReminderMail>(request, MailKind.Reminder, request.CustomerEmail, remindAt, link,
                new() { [nameof(ReminderMail.Mail)] = mail });
        }
    }

    /// <summary>The partner hears the account is active; each added user hears they have access.</summary>
    public async Task ActivatedAsync(AccountRequest request, Sender partner)
    {
        var mail = About(request, partner);
        using (Composing(partner.Language))
        {
            await AddAsync<ActivatedMail>(request, MailKind.Activated, partner.Email, Now, link: null,
                new() { [nameof(ActivatedMail.Mail)] = mail });
        }

        using (Composing(request.CustomerLanguage))
        {
            foreach (var user in request.UserEmails)
            {
                await AddAsync<AccessMail>(request, MailKind.AddedUserAccess, user, Now, link: null,
                    new() { [nameof(AccessMail.Mail)] = mail, [nameof(AccessMail.Recipient)] = user });
            }
        }
    }

    public async Task DeclinedAsync(AccountRequest request, Sender partner, string? reason)
    {
        using var _ = Composing(partner.Language);
        await AddAsync<DeclinedMail>(request, MailKind.Declined, partner.Email, Now, link: null,
            new() { [nameof(DeclinedMail.Mail)] = About(request, partner), [nameof(DeclinedMail.Reason)] = reason });
    }

    /// <summary>
    /// Writes a message queued unwritten (expiry's notices, queued set-based, both sides
    /// hearing the request expired and that a new one can be made) from its request, in the
    /// message's language, just before it is sent. The tracked message keeps what was written.
    /// </summary>
    public async Task WriteAsync(OutboxMessage message, AccountRequest request)
    {
        var mail = About(request, Sender.Of(request.PartnerUser!, request.Organisation!.Name));
        using var _ = Composing(message.Language);
        var written = message.Kind switch
        {
            MailKind.ExpiredPartner => await renderer.RenderAsync<ExpiredPartnerMail>(new Dictionary<string, object?> { [nameof(ExpiredPartnerMail.Mail)] = mail }),
            MailKind.ExpiredCustomer => await renderer.RenderAsync<ExpiredCustomerMail>(new Dictionary<string, object?> { [nameof(ExpiredCustomerMail.Mail)] = mail }),
            _ => throw new InvalidOperationException($"A {message.Kind} e-mail is written when it is queued."),
        };
        message.Subject = written.Subject;
        message.TextBody = written.Text;
        message.HtmlBody = written.Html;
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

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private RequestMail About(AccountRequest request, Sender partner) => RequestMail.Of(request, partner, BaseUrl);

    /// <summary>
    /// Withdraws the request's unsent e-mails that carry its activation link (the first
    /// e-mail if still waiting, the reminder), erasing the encrypted link. Part of the
    /// caller's transaction, like everything here. A message an instance is sending right now
    /// (leased) is left to it: touching it would make the caller's change fail, and the sender
    /// withdraws a link whose request has closed by itself.
    /// </summary>
    public Task WithdrawLinksAsync(int requestId, CancellationToken cancellationToken) =>
        WithdrawLinksAsync([requestId], cancellationToken);

    /// <summary>The same for many requests at once (expiry's batches), in one query.</summary>
    public async Task WithdrawLinksAsync(IReadOnlyCollection<int> requestIds, CancellationToken cancellationToken)
    {
        if (requestIds.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var waiting = await db.OutboxMessages
            .Where(m => requestIds.Contains(m.AccountRequestId!.Value) && m.Status == Outbox.OutboxStatus.Pending
                        && (m.Kind == MailKind.Activation || m.Kind == MailKind.Reminder)
                        && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ToListAsync(cancellationToken);
        foreach (var message in waiting)
        {
            MailChannel.Withdraw(message);
        }
    }

    public async Task PasswordResetAsync(string email, string language, Uri link)
    {
        using var _ = Composing(language);
        await AddAsync<PasswordResetMail>(null, MailKind.PasswordReset, email, Now, link.AbsoluteUri,
            new() { [nameof(PasswordResetMail.Email)] = email });
    }

    public static string InvitationPath(string token) => "/Invitation/" + token;

    /// <summary>
    /// The invitation e-mail in the language the inviter chose, carrying the single-use link
    /// (encrypted in the outbox like the activation link, erased once sent).
    /// </summary>
    public async Task InvitationAsync(Invitation invitation, string? organisation, string token)
    {
        using var _ = Composing(invitation.Language);
        await AddAsync<InvitationMail>(null, MailKind.Invitation, invitation.Email, Now, new Uri(BaseUrl, InvitationPath(token)).AbsoluteUri,
            new()
            {
                [nameof(InvitationMail.Inviter)] = invitation.InvitedByEmail,
                [nameof(InvitationMail.Email)] = invitation.Email,
                [nameof(InvitationMail.Role)] = invitation.Role,
                [nameof(InvitationMail.Organisation)] = organisation,
                [nameof(InvitationMail.AdministersOrganisation)] = invitation.AdministersOrganisation,
                [nameof(InvitationMail.ExpiresAt)] = invitation.ExpiresAt,
            });
    }

    public static string WebhookEndpointPath(int id) => "/Organisation/Webhooks/Endpoint/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An organisation administrator hears that an endpoint was paused, why, and where to resume it.</summary>
    public async Task WebhookPausedAsync(WebhookEndpoint endpoint, string organisation, string? lastError, string to, string language)
    {
        using var _ = Composing(language);
        await AddAsync<WebhookPausedMail>(null, MailKind.WebhookPaused, to, Now, new Uri(BaseUrl, WebhookEndpointPath(endpoint.Id)).AbsoluteUri,
            new()
            {
                [nameof(WebhookPausedMail.Url)] = endpoint.Url,
                [nameof(WebhookPausedMail.Organisation)] = organisation,
                [nameof(WebhookPausedMail.Failures)] = endpoint.FailedDeliveriesInARow,
                [nameof(WebhookPausedMail.LastError)] = lastError,
            });
    }

    private const string LinkPlaceholder = OutboxMessage.LinkPlaceholder;

    /// <summary>Renders the template in the current language and adds the result to the outbox, due at <paramref name="due"/>.</summary>
    private async Task AddAsync<TTemplate>(AccountRequest? request, MailKind kind, string to, DateTime due, string? link, Dictionary<string, object?> model)
        where TTemplate : IComponent
    {
        var mail = await renderer.RenderAsync<TTemplate>(model);
        var message = new OutboxMessage
        {
            MessageId = $"<{Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()}@{BaseUrl.Host}>",
            Kind = kind,
            To = to,
            Subject = mail.Subject,
            TextBody = mail.Text,
            HtmlBody = mail.Html,
            ProtectedLink = link is null ? null : Protector.Protect(link),
            Language = currentLanguage,
            Status = Outbox.OutboxStatus.Pending,
            CreatedAt = Now,
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
