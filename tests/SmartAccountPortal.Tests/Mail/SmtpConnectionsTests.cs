using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Mail;
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

        await Portal.SendMailAsync();

        var mails = await ActivationMailsAsync(requests);
        Assert.All(mails, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.Equal(4, Server.MaxConcurrentConnections);
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
}
