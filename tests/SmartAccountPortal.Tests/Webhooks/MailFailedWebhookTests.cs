using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Tests.Webhooks;

/// <summary>A portal whose mail goes to an SMTP server of the test's that refuses customers' addresses, one attempt per e-mail.</summary>
public sealed class RefusingMailFixture : IAsyncLifetime
{
    public TestSmtpServer Smtp { get; } = new() { RefuseRecipient = line => line.Contains("<it.lead@", StringComparison.Ordinal) };

    public WebhookReceiver Receiver { get; private set; } = null!;

    public WebhookPortal Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Portal = new WebhookPortal(
            allowPrivateAddresses: true,
            new("Mail:Smtp:Host", "127.0.0.1"),
            new("Mail:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Mail:Smtp:EnableSsl", "false"),
            new("Mail:MaxAttempts", "1"));
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class MailFailedWebhookTests(RefusingMailFixture fixture) : IClassFixture<RefusingMailFixture>
{
    [Fact]
    public async Task AnEmailThatFailsEveryAttempt_IsDeliveredAsMailFailed_WithTheRequestAndTheEmail()
    {
        var portal = fixture.Portal;
        var organisation = "Bounced " + Guid.NewGuid().ToString("N")[..8];
        var (admin, _) = await portal.NewOrganisationAdministratorAsync(organisation);
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        await WebhookSteps.AddEndpointAsync(admin, fixture.Receiver.Url(path), WebhookEvent.MailFailed);

        var (partner, _) = await portal.NewPartnerAsync(organisation);
        var domain = RequestSteps.NewDomain();
        var request = await portal.SubmitAsync(partner, domain);

        // The customer's server refuses the activation e-mail: its one attempt was its last.
        await portal.SendMailAsync();
        await portal.SendMailAsync();
        var activation = await portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.AccountRequestId == request.Id && m.Kind == SmartAccountPortal.Mail.MailKind.Activation));
        Assert.Equal(OutboxStatus.Failed, activation.Status);

        var received = Assert.Single(fixture.Receiver.All(), w => w.Path == path);
        var failed = JsonNode.Parse(received.Body)!;
        Assert.Equal("request.mail_failed", failed["type"]!.GetValue<string>());
        Assert.Equal((request.Reference, "pending"), (failed["data"]!["request"]!["reference"]!.GetValue<string>(), failed["data"]!["request"]!["state"]!.GetValue<string>()));
        var email = failed["data"]!["email"]!;
        Assert.Equal(("activation", $"it.lead@{domain}", 1, true), (email["kind"]!.GetValue<string>(), email["to"]!.GetValue<string>(), email["attempts"]!.GetValue<int>(), email["addressRefused"]!.GetValue<bool>()));
        Assert.Equal(WebhookEvents.TypeOf(WebhookEvent.MailFailed), failed["type"]!.GetValue<string>());
    }
}
