using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Writes one e-mail of every kind to the outbox, in one language, for the tests that read them all.</summary>
public static class EveryMail
{
    public const string CancelReason = "Customer asked us to wait.";

    public const string DeclineReason = "Not now.";

    /// <summary>The answer a webhook endpoint gave, quoted in the notice that it was paused.</summary>
    public const string WebhookError = "HTTP 503 Service Unavailable";

    /// <summary>
    /// A request of <paramref name="partnerEmail"/>'s in <paramref name="language"/> and, in the
    /// outbox, every e-mail its life can cause, written (a decline with and without a reason, a cancellation by the partner and by licensing support), a
    /// password reset, an invitation and a paused webhook's notice to the partner's address. Returns the request as saved.
    /// </summary>
    public static async Task<AccountRequest> WriteEveryKindAsync(this PortalFactory factory, string partnerEmail, string language)
    {
        var domain = RequestSteps.NewDomain();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
        var mailer = scope.ServiceProvider.GetRequiredService<RequestMailer>();
        var user = await db.Users.Include(u => u.Organisation).SingleAsync(u => u.Email == partnerEmail);
        user.PreferredLanguage = language; // the expiry notice to the partner is in the partner's language
        var request = AccountRequest.Submit(
            ReferenceGenerator.Next(),
            new RequestDetails("Contoso Pharmaceuticals", $"it.lead@{domain}", domain, "Please accept this week.", [$"ann@{domain}"], "Welcome aboard.", language),
            user, Guid.NewGuid().ToString("N"), ActivationTokens.Create().Hash, factory.Clock.GetUtcNow().UtcDateTime, AccountRequest.DefaultExpiresAfter);
        db.Requests.Add(request);
        var sender = new Sender(partnerEmail, "Northwind Partners", language);
        await mailer.SubmittedAsync(request, sender, ActivationTokens.Create().Token);
        await mailer.CancelledAsync(request, sender, CancelReason);
        await mailer.CancelledBySupportAsync(request, sender, CancelReason);
        await mailer.ActivatedAsync(request, sender);
        await mailer.DeclinedAsync(request, sender, DeclineReason);
        await mailer.DeclinedAsync(request, sender, null);
        await mailer.PasswordResetAsync(partnerEmail, language, new Uri("https://portal.test/Identity/Account/ResetPassword?code=abc"));
        var invitation = Invitation.Create(
            partnerEmail, Roles.Partner, user.Organisation, administersOrganisation: true, language, ActivationTokens.Create().Hash, user,
            factory.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromDays(7));
        db.Invitations.Add(invitation);
        await mailer.InvitationAsync(invitation, user.Organisation!.Name, ActivationTokens.Create().Token);
        var endpoint = new WebhookEndpoint(
            user.OrganisationId!.Value, $"https://hooks.{domain}/portal", null, SmartAccountPortal.Webhooks.WebhookEvents.Every, "protected", user, factory.Clock.GetUtcNow().UtcDateTime);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        await mailer.WebhookPausedAsync(endpoint, user.Organisation.Name, WebhookError, partnerEmail, language);
        await db.SaveChangesAsync();

        // The expiry notices, queued as expiry queues them and written as the sender writes them.
        await db.RecordExpiriesAsync([request.Id], factory.Clock.GetUtcNow().UtcDateTime, "portal.test", CancellationToken.None);
        foreach (var notice in await db.OutboxMessages.Where(m => m.AccountRequestId == request.Id && m.Subject == "").ToListAsync())
        {
            await mailer.WriteAsync(notice, request);
        }

        await db.SaveChangesAsync();
        return request;
    }

    /// <summary>The e-mails <see cref="WriteEveryKindAsync"/> wrote.</summary>
    public static Task<List<OutboxMessage>> OfAsync(this PortalFactory factory, AccountRequest request, string partnerEmail) =>
        factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == request.Id || m.To == partnerEmail).ToListAsync());
}
