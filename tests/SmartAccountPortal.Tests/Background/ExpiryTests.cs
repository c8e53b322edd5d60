using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Background;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Background;

/// <summary>The 90-day rule, driven by moving the clock and calling the processor directly.</summary>
public sealed class ExpiryTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private SmtpPortalFactory Portal => fixture.Portal;

    private async Task<int> ExpireAsync()
    {
        using var scope = Portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None);
    }

    private Task<AccountRequest> ReloadAsync(int id) =>
        Portal.WithDbAsync(db => db.Requests.AsNoTracking().Include(r => r.Events).SingleAsync(r => r.Id == id));

    [Fact]
    public async Task PendingAt90Days_Expires_AndBothSidesAreToldOnce()
    {
        var (client, partner) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";
        var request = await Portal.SubmitAsync(client, domain);
        Assert.Equal(request.SubmittedAt.AddDays(90), request.ExpiresAt);

        Portal.Clock.Set(request.ExpiresAt - TimeSpan.FromSeconds(1));
        await ExpireAsync();
        Assert.Equal(RequestStatus.Pending, (await ReloadAsync(request.Id)).Status);

        Portal.Clock.Set(request.ExpiresAt);
        await ExpireAsync();
        await ExpireAsync();
        await Portal.SendMailAsync();
        await Portal.SendMailAsync();

        var expired = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Expired, expired.Status);
        Assert.Equal(request.ExpiresAt, expired.ClosedAt);
        var expiry = Assert.Single(expired.Events, e => e.Kind == RequestEventKind.Expired);
        Assert.Equal("system", expiry.Actor);

        var toPartner = Assert.Single(await Portal.MailDevMessagesAsync(fixture, partner), m => m.Subject.Contains("expired", StringComparison.Ordinal));
        Assert.Contains("request a new Smart Account", toPartner.Text, StringComparison.Ordinal);
        var toCustomer = (await fixture.MailDev.MessagesToAsync(customer, atLeast: 2)).Where(m => m.Subject.Contains("expired", StringComparison.Ordinal)).ToList();
        Assert.Single(toCustomer);
        Assert.Contains("request a new Smart Account", toCustomer[0].Text, StringComparison.Ordinal);

        // The reminder and the activation e-mail were never sent before expiry: withdrawn, link erased.
        var linkMail = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.AccountRequestId == request.Id && (m.Kind == MailKind.Activation || m.Kind == MailKind.Reminder)).ToListAsync());
        Assert.All(linkMail, m => Assert.True(m.Status == OutboxStatus.Cancelled && m.ProtectedLink is null));
        Assert.DoesNotContain(await fixture.MailDev.MessagesToAsync(customer, atLeast: 0), m => m.Subject.Contains("Reminder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterExpiry_ANewRequestForTheDomainCanBeMade()
    {
        var (client, partner) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var first = await Portal.SubmitAsync(client, domain);
        Portal.Clock.Set(first.ExpiresAt);
        await ExpireAsync();

        // Ninety days on, the partner signs in again.
        await client.SignInAsync(partner);

        var page = await client.GetPageAsync("/Requests/New");
        var form = page.Form("#request-form");
        using var review = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso again",
            ["Input.CustomerEmail"] = $"it.lead@{domain}",
            ["Input.AccountDomain"] = domain,
        });
        var dialog = (await client.ReadFollowingAsync(review)).Form("[role=dialog] form");
        using var submitted = await client.SubmitAsync(dialog, dialog.Button("Submit Request"));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, submitted.StatusCode);
        var statuses = await Portal.WithDbAsync(db => db.Requests.Where(r => r.AccountDomain == domain).Select(r => r.Status).ToListAsync());
        Assert.Equal([RequestStatus.Pending, RequestStatus.Expired], statuses.Order());
    }

    [Fact]
    public async Task TwoProcessorsAtOnce_ExpireEachRequestOnce_WithOneSetOfNotices()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var ids = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await Portal.SubmitAsync(client, RequestSteps.NewDomain())).Id);
        }

        Portal.Clock.Advance(TimeSpan.FromDays(91));
        using var first = Portal.Services.CreateScope();
        using var second = Portal.Services.CreateScope();
        var a = first.ServiceProvider.GetRequiredService<RequestExpiry>();
        var b = second.ServiceProvider.GetRequiredService<RequestExpiry>();

        await Task.WhenAll(a.ExpireDueAsync(CancellationToken.None), b.ExpireDueAsync(CancellationToken.None));

        var requests = await Portal.WithDbAsync(db => db.Requests.AsNoTracking().Include(r => r.Events).Where(r => ids.Contains(r.Id)).ToListAsync());
        Assert.All(requests, r =>
        {
            Assert.Equal(RequestStatus.Expired, r.Status);
            Assert.Single(r.Events, e => e.Kind == RequestEventKind.Expired);
        });
        var notices = await Portal.WithDbAsync(db => db.OutboxMessages
            .Where(m => ids.Contains(m.AccountRequestId!.Value) && (m.Kind == MailKind.ExpiredPartner || m.Kind == MailKind.ExpiredCustomer))
            .GroupBy(m => m.AccountRequestId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(ids.Count, notices.Count);
        Assert.All(notices, count => Assert.Equal(2, count));
    }

    [Fact]
    public async Task ActivatedBeforeExpiry_IsNeverExpired()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var request = await Portal.SubmitAsync(client, RequestSteps.NewDomain());
        await Portal.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
            tracked.Activate(Portal.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });

        Portal.Clock.Set(request.ExpiresAt.AddDays(1));
        await ExpireAsync();

        Assert.Equal(RequestStatus.Active, (await ReloadAsync(request.Id)).Status);
    }
}

internal static class MailDevExtensions
{
    public static Task<IReadOnlyList<ReceivedMail>> MailDevMessagesAsync(this SmtpPortalFactory _, MailFixture fixture, string address) =>
        fixture.MailDev.MessagesToAsync(address);
}

/// <summary>A portal whose requests expire after 30 days and remind 2 days before.</summary>
public sealed class ShortExpiryFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Requests:ExpiresAfter", "30.00:00:00"),
        new("Requests:RemindBeforeExpiry", "2.00:00:00"),
    ];
}

public sealed class ExpiryConfigurationTests(ShortExpiryFactory factory) : IClassFixture<ShortExpiryFactory>
{
    [Fact]
    public async Task ExpiresAfterAndRemindBeforeExpiry_SetTheDatesOfNewRequests()
    {
        var (client, _) = await factory.NewPartnerAsync();
        var request = await factory.SubmitAsync(client, RequestSteps.NewDomain());

        Assert.Equal(request.SubmittedAt.AddDays(30), request.ExpiresAt);
        var reminder = await factory.WithDbAsync(db => db.OutboxMessages.SingleAsync(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Reminder));
        Assert.Equal(request.ExpiresAt.AddDays(-2), reminder.NextAttemptAt);
    }
}

/// <summary>The hosted service is registered when enabled, and one tick does the processors' work.</summary>
public sealed class WorkerFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Background:Enabled", "true"),

        // Its first tick runs at start; the next would be an hour later, so this test drives it.
        new("Background:PollInterval", "01:00:00"),
        new("Background:BatchSize", "3"),
        new("Background:ExpiryBatchSize", "2"),
    ];
}

public sealed class BackgroundWorkerTests(WorkerFactory factory) : IClassFixture<WorkerFactory>
{
    [Fact]
    public async Task Tick_ExpiresAndSendsDueWork()
    {
        var worker = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<BackgroundWorker>().Single();
        var (client, _) = await factory.NewPartnerAsync();
        var request = await factory.SubmitAsync(client, RequestSteps.NewDomain());

        await worker.RunUntilIdleAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Sent, await factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Activation).Select(m => m.Status).SingleAsync()));

        factory.Clock.Set(request.ExpiresAt);
        await worker.RunUntilIdleAsync(CancellationToken.None);
        Assert.Equal(RequestStatus.Expired, await factory.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));
        Assert.Equal(2, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.AccountRequestId == request.Id && m.Status == OutboxStatus.Sent && (m.Kind == MailKind.ExpiredPartner || m.Kind == MailKind.ExpiredCustomer))));
        Assert.True(Directory.GetFiles(factory.MailDirectory, "*.eml").Length >= 3);
    }

    [Fact]
    public async Task ABacklog_GoesOutInOneRun_NotOneBatchATick()
    {
        var worker = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<BackgroundWorker>().Single();
        var (client, _) = await factory.NewPartnerAsync();
        var requests = new List<AccountRequest>();
        for (var i = 0; i < 7; i++)
        {
            requests.Add(await factory.SubmitAsync(client, RequestSteps.NewDomain()));
        }

        // Seven activation e-mails and a batch of three: one run sends them all, in three batches.
        await worker.RunUntilIdleAsync(CancellationToken.None);

        var ids = requests.Select(r => r.Id).ToList();
        Assert.Equal(7, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => ids.Contains(m.AccountRequestId!.Value) && m.Kind == MailKind.Activation && m.Status == OutboxStatus.Sent)));
    }

    [Fact]
    public async Task OneTick_ExpiresEveryOverdueRequest_InBatches_BeforeItSends()
    {
        var worker = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<BackgroundWorker>().Single();
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var ids = (await factory.SeedRequestsAsync(partner, 5)).Select(r => r.Id).ToList();
        factory.Clock.Advance(TimeSpan.FromDays(91));

        // Five overdue and two a batch: one tick runs three expiry batches, then one batch of e-mail.
        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(5, await factory.WithDbAsync(db => db.Requests.CountAsync(r => ids.Contains(r.Id) && r.Status == RequestStatus.Expired)));
        Assert.Equal(10, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => ids.Contains(m.AccountRequestId!.Value))));
    }

    [Fact]
    public void Disabled_RegistersNoWorker()
    {
        using var disabled = new PortalFactory();
        Assert.Empty(disabled.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<BackgroundWorker>());
    }
}
