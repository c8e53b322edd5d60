using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Requests;

/// <summary>A portal where a new activation link may go 30 minutes after the last (Requests:ResendInterval).</summary>
public sealed class SlowResendFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Requests:ResendInterval", "00:30:00")];
}

public sealed class ResendWaitTests(SlowResendFactory factory) : IClassFixture<SlowResendFactory>
{
    private static bool ResendDisabled(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.Form("form[action$='handler=Resend']").Button("Resend activation e-mail").IsDisabled;

    [Fact]
    public async Task TheWait_IsTheConfiguredInterval()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var request = await factory.SubmitAsync(client, RequestSteps.NewDomain());

            factory.Clock.Advance(TimeSpan.FromMinutes(29));
            Assert.True(ResendDisabled(await client.GetPageAsync("/Requests/" + request.Reference)));

            factory.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.False(ResendDisabled(await client.GetPageAsync("/Requests/" + request.Reference)));
        }
    }

    [Fact]
    public async Task AFailedActivationEmail_DoesNotMakeThePartnerWait()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var request = await factory.SubmitAsync(client, RequestSteps.NewDomain());
            await factory.WithDbAsync(async db =>
            {
                // The customer's mail server refused the address for good.
                var activation = await db.OutboxMessages.SingleAsync(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Activation);
                activation.Status = OutboxStatus.Failed;
                activation.LastError = "SmtpFailedRecipientException: Mailbox unavailable";
                return await db.SaveChangesAsync();
            });

            var page = await client.GetPageAsync("/Requests/" + request.Reference);
            Assert.False(ResendDisabled(page));
            var resend = page.Form("form[action$='handler=Resend']");
            using (await client.SubmitAsync(resend, resend.Button("Resend activation e-mail")))
            {
            }

            var events = await factory.WithDbAsync(db => db.RequestEvents.Where(e => e.AccountRequestId == request.Id).ToListAsync());
            Assert.Contains(events, e => e.Kind == RequestEventKind.Resent);

            // The new link went out normally, so the wait applies again.
            Assert.True(ResendDisabled(await client.GetPageAsync("/Requests/" + request.Reference)));
        }
    }
}
