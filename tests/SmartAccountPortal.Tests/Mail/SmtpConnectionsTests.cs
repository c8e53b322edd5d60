using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Mail;

/// <summary>A portal sending over four connections to a slow SMTP server of the test's own.</summary>
public sealed class SlowServerFixture : IAsyncLifetime
{
    public TestSmtpServer Server { get; } = new();

    public PortalFactory Portal { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Portal = new SlowServerPortal(Server.Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Server.DisposeAsync();
    }

    private sealed class SlowServerPortal(int port) : PortalFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Mail:Smtp:Host", "127.0.0.1"),
            new("Mail:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Mail:Smtp:EnableSsl", "false"),
            new("Mail:Smtp:TimeoutSeconds", "5"),
            new("Mail:Smtp:Connections", "4"),
        ];
    }
}

public sealed class SmtpConnectionsTests(SlowServerFixture fixture) : IClassFixture<SlowServerFixture>
{
    private PortalFactory Portal => fixture.Portal;

    private TestSmtpServer Server => fixture.Server;

    private async Task<List<int>> SubmitAsync(int count)
    {
        var (client, _) = await Portal.NewPartnerAsync();
        using (client)
        {
            var ids = new List<int>();
            for (var i = 0; i < count; i++)
            {
                ids.Add((await Portal.SubmitAsync(client, RequestSteps.NewDomain())).Id);
            }

            return ids;
        }
    }

    private Task<List<OutboxMessage>> ActivationMailsAsync(List<int> requests) =>
        Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => requests.Contains(m.AccountRequestId!.Value) && m.Kind == MailKind.Activation).ToListAsync());

    [Fact]
    public async Task ASlowServer_GetsFourMessagesAtOnce_EachExactlyOnce()
    {
        Server.AckDelay = TimeSpan.FromMilliseconds(300);
        Server.RefuseAfter = null;
        var requests = await SubmitAsync(8);
        await Server.ResetMaxConcurrentMessagesAsync();

        await Portal.SendMailAsync();

        var mails = await ActivationMailsAsync(requests);
        Assert.All(mails, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.Equal(4, Server.MaxConcurrentMessages);
        Assert.All(mails, m => Assert.Single(Server.Received, id => id == m.MessageId));
    }

    [Fact]
    public async Task AServerThatStopsHalfwayThroughABatch_LosesNothingAndSendsNothingTwice()
    {
        Server.AckDelay = TimeSpan.FromMilliseconds(50);
        var requests = await SubmitAsync(8);
        Server.RefuseAfter = Server.Received.Count + 3;

        await Portal.SendMailAsync();

        var mails = await ActivationMailsAsync(requests);
        Assert.Equal(3, mails.Count(m => m.Status == OutboxStatus.Sent));
        Assert.Equal(5, mails.Count(m => m.Status == OutboxStatus.Pending));
        Assert.Contains(mails, m => m.Attempts == 1 && m.LastError is not null && m.Status == OutboxStatus.Pending);

        // The server is back; the failed ones are retried after their backoff.
        Server.RefuseAfter = null;
        Portal.Clock.Advance(TimeSpan.FromHours(3));
        await Portal.SendMailAsync();

        mails = await ActivationMailsAsync(requests);
        Assert.All(mails, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.All(mails, m => Assert.Single(Server.Received, id => id == m.MessageId));
    }

    private async Task<List<string>> PasswordResetsAsync(int count)
    {
        var recipients = Enumerable.Range(0, count).Select(i => $"claim{i}-{Guid.NewGuid():N}@reset.example").ToList();
        using var scope = Portal.Services.CreateScope();
        var mailer = scope.ServiceProvider.GetRequiredService<RequestMailer>();
        foreach (var recipient in recipients)
        {
            await mailer.PasswordResetAsync(recipient, "en", new Uri("https://portal.test/reset"));
        }

        await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>().SaveChangesAsync();
        return recipients;
    }

    [Fact]
    public async Task OneClaimLeasesSeveralMessages_AndClaimsAtTheSameMomentNeverShareOne()
    {
        var recipients = await PasswordResetsAsync(25);
        var now = Portal.Clock.GetUtcNow().UtcDateTime;

        // Six claimers at once, ten messages each at most, each on its own connection.
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var scope = Portal.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            return (Owner: $"claimer-{i}", Messages: (await db.ClaimDueAsync(OutboxChannel.Mail, $"claimer-{i}", now, now.AddMinutes(5), 10, CancellationToken.None)).Cast<OutboxMessage>().ToList());
        }));

        var ours = claims.SelectMany(c => c.Messages).Where(m => recipients.Contains(m.To)).ToList();
        Assert.Equal(recipients.Order(), ours.Select(m => m.To).Order());
        Assert.Contains(claims, c => c.Messages.Count == 10);
        var stored = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => recipients.Contains(m.To)).ToListAsync());
        Assert.All(claims, c => Assert.All(c.Messages, m =>
        {
            // What each claimer got back is what is stored: its lease and the new concurrency token.
            var row = stored.SingleOrDefault(r => r.Id == m.Id);
            Assert.True(row is null || (row.LeaseOwner == c.Owner && row.Version == m.Version && m.Version == 1));
        }));

        // Leased: a second claim finds none of them.
        var again = await Portal.WithDbAsync(db => db.ClaimDueAsync(OutboxChannel.Mail, "late", now, now.AddMinutes(5), 100, CancellationToken.None));
        Assert.All(again, m => Assert.IsType<OutboxMessage>(m));
        Assert.DoesNotContain(again.Cast<OutboxMessage>(), m => recipients.Contains(m.To));

        // Out of the way of this class's other tests.
        await Portal.WithDbAsync(async db =>
        {
            await db.OutboxMessages.Where(m => recipients.Contains(m.To)).ForEachAsync(m => m.Status = OutboxStatus.Cancelled);
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task StoppedMidBatch_WhatWasSentIsRecorded_TheRestIsReleasedAndSentLater()
    {
        Server.AckDelay = TimeSpan.FromMilliseconds(500);
        Server.RefuseAfter = null;
        var recipients = await PasswordResetsAsync(16);
        var before = Server.Received.Count;

        // Four messages a lane; stopped once the first four have arrived, so every lane is partway.
        using (var stopping = new CancellationTokenSource())
        using (var scope = Portal.Services.CreateScope())
        {
            var sending = scope.ServiceProvider.GetRequiredService<OutboxSender>().SendDueAsync(stopping.Token);
            while (Server.Received.Count < before + 4 && !sending.IsCompleted)
            {
                await Task.Delay(10);
            }

            await stopping.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        var afterStop = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => recipients.Contains(m.To)).ToListAsync());
        Assert.All(afterStop, m => Assert.True(
            (m.Status == OutboxStatus.Sent && Server.Received.Contains(m.MessageId))
            || (m.Status == OutboxStatus.Pending && m.LeaseOwner is null && m.Attempts == 0),
            $"{m.Status} {m.LeaseOwner} {m.Attempts}"));
        Assert.Contains(afterStop, m => m.Status == OutboxStatus.Pending);

        // No waiting for a lease to run out: the next run sends the rest.
        Server.AckDelay = TimeSpan.Zero;
        await Portal.SendMailAsync();
        var final = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => recipients.Contains(m.To)).ToListAsync());
        Assert.All(final, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.All(afterStop.Where(m => m.Status == OutboxStatus.Sent), m => Assert.Single(Server.Received, id => id == m.MessageId));
    }

    [Fact]
    public async Task AnAddressTheServerRefuses_IsExplainedToThePartnerInPlainWords_WithTheNextStep()
    {
        Server.AckDelay = TimeSpan.Zero;
        Server.RefuseAfter = null;
        var (client, _) = await Portal.NewPartnerAsync();
        using var _ = client;
        var domain = RequestSteps.NewDomain();
        Server.RefuseRecipient = line => line.Contains("@" + domain, StringComparison.OrdinalIgnoreCase);
        try
        {
            var request = await Portal.SubmitAsync(client, domain);
            var before = await client.GetPageAsync("/Requests/" + request.Reference);
            Assert.Null(before.GetElementById("link-failed-title"));

            // Every attempt the portal makes (8 by default), each refused with 550. The waits
            // between them double from a minute, to about 77 minutes at most before the eighth;
            // the partner keeps the page open meanwhile, so the session stays alive.
            for (var attempt = 0; attempt < 8; attempt++)
            {
                await Portal.SendMailAsync();
                Portal.Clock.Advance(TimeSpan.FromMinutes(80));
                using var keepAlive = await client.GetAsync("/Requests");
            }

            var activation = Assert.Single(await ActivationMailsAsync([request.Id]));
            Assert.Equal(OutboxStatus.Failed, activation.Status);
            Assert.StartsWith("SmtpFailedRecipientException:", activation.LastError, StringComparison.Ordinal);

            var page = await client.GetPageAsync("/Requests/" + request.Reference);
            var notice = page.GetElementById("link-failed-title")!.ParentElement!;
            Assert.Equal("The activation e-mail did not reach the customer", page.GetElementById("link-failed-title")!.TextContent);
            Assert.Equal(
                $"The customer's mail server refused the address {request.CustomerEmail}. Check it with the customer: if it is wrong, cancel this request and request again with the right address; if it is right, ask them to accept e-mail from no-reply@smartaccounts.example.com, then resend the activation e-mail.",
                notice.QuerySelector("p")!.TextContent.Trim());
            Assert.Contains(page.QuerySelectorAll("td .delivery-failed"), d => d.TextContent == "Not delivered: the recipient's mail server refused the address");
            // The next step it names is there: the resend button works at once, and Cancel request.
            Assert.False(page.Form("form[action$='handler=Resend']").Button("Resend activation e-mail").IsDisabled);
            Assert.Contains(page.QuerySelectorAll(".actions-panel a"), a => a.TextContent == "Cancel request");
        }
        finally
        {
            Server.RefuseRecipient = _ => false;
        }
    }
}
