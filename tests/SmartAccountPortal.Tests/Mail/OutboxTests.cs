using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Mail;

/// <summary>The outbox and its sender, through a real SMTP server (MailDev).</summary>
public sealed class OutboxTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private SmtpPortalFactory Portal => fixture.Portal;

    private MailDevServer MailDev => fixture.MailDev;

    private DateTime Now => Portal.Clock.GetUtcNow().UtcDateTime;

    private Task<List<OutboxMessage>> OutboxForAsync(int requestId) =>
        Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == requestId).OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task Submit_WritesTheActivationEmailWithTheRequest_AndTheSenderDeliversItOverSmtp()
    {
        var (client, partner) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var request = await Portal.SubmitAsync(client, domain);

        var waiting = await OutboxForAsync(request.Id);
        Assert.Equal([MailKind.Activation, MailKind.Reminder], waiting.Select(m => m.Kind));
        Assert.All(waiting, m => Assert.Equal(OutboxStatus.Pending, m.Status));
        Assert.Equal(request.ExpiresAt - TimeSpan.FromDays(7), waiting[1].NextAttemptAt);

        Assert.True(await Portal.SendMailAsync() >= 1);

        var mail = Assert.Single(await MailDev.MessagesToAsync($"it.lead@{domain}"));
        Assert.Contains("Activate", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(domain, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Contoso Pharmaceuticals", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Northwind Partners", mail.Text, StringComparison.Ordinal);
        Assert.Contains(partner, mail.Text, StringComparison.Ordinal);
        Assert.Contains("Please accept this week.", mail.Text, StringComparison.Ordinal);
        Assert.Contains(Display.Date(request.ExpiresAt), mail.Text, StringComparison.Ordinal);
        Assert.Contains("You receive this e-mail because Northwind Partners named", mail.Text, StringComparison.Ordinal);
        var link = ActivationLink(mail.Text!);
        Assert.Matches("^https://portal\\.test/Activation/[A-Za-z0-9_-]{43}$", link);
        Assert.Contains($"href=\"{link}\"", mail.Html, StringComparison.Ordinal);
        Assert.Equal("Smart Account Portal", mail.From.Single().Name);

        var sent = (await OutboxForAsync(request.Id))[0];
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(Now, sent.SentAt);
        Assert.Equal(1, sent.Attempts);
        Assert.Null(sent.ProtectedLink);
        Assert.Equal(sent.MessageId.Trim('<', '>'), mail.MessageId);

        var history = await Portal.WithDbAsync(db => db.RequestEvents.Where(e => e.AccountRequestId == request.Id).ToListAsync());
        Assert.Contains(history, e => e.Kind == RequestEventKind.MailSent && e.Detail == $"Activation it.lead@{domain}");
    }

    [Fact]
    public async Task ActivationToken_IsStoredOnlyAsItsHash()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var request = await Portal.SubmitAsync(client, domain);
        await Portal.SendMailAsync();
        var token = ActivationLink((await MailDev.MessagesToAsync($"it.lead@{domain}")).Single().Text!).Split('/')[^1];

        Assert.Equal(ActivationTokens.Hash(token), request.ActivationTokenHash);
        var file = await File.ReadAllBytesAsync(Portal.DatabasePath);
        var wal = File.Exists(Portal.DatabasePath + "-wal") ? await File.ReadAllBytesAsync(Portal.DatabasePath + "-wal") : [];
        var tokenBytes = System.Text.Encoding.ASCII.GetBytes(token);
        Assert.Equal(-1, file.AsSpan().IndexOf(tokenBytes));
        Assert.Equal(-1, wal.AsSpan().IndexOf(tokenBytes));
    }

    [Fact]
    public async Task Reminder_GoesOutOnceAtItsTime_WithTheSameLink()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";
        var request = await Portal.SubmitAsync(client, domain);
        await Portal.SendMailAsync();
        var first = Assert.Single(await MailDev.MessagesToAsync(customer));

        Portal.Clock.Set(request.ExpiresAt - TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await Portal.SendMailAsync();
        Assert.Single(await MailDev.MessagesToAsync(customer));

        Portal.Clock.Advance(TimeSpan.FromMinutes(1));
        await Portal.SendMailAsync();
        await Portal.SendMailAsync();
        var messages = await MailDev.MessagesToAsync(customer, atLeast: 2);
        Assert.Equal(2, messages.Count);
        var reminder = Assert.Single(messages, m => m.Subject.Contains("Reminder", StringComparison.Ordinal));
        Assert.Equal(ActivationLink(first.Text!), ActivationLink(reminder.Text!));
        Assert.Contains(Display.Date(request.ExpiresAt), reminder.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_DoublesFromTheBase_UpToTheMaximum_WithJitter()
    {
        var options = new MailOptions { RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromHours(2) };
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var expected = Math.Min(60 * Math.Pow(2, attempt - 1), 7200);
            var delays = Enumerable.Range(0, 200).Select(_ => OutboxSender.Backoff(attempt, new RetryPolicy(options.MaxAttempts, options.RetryBaseDelay, options.RetryMaxDelay)).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, expected * 0.8, expected * 1.2));
            Assert.True(delays.Distinct().Count() > 1, "No jitter.");
        }
    }

    [Fact]
    public async Task TwoInstancesAtOnce_SendEachMessageExactlyOnce()
    {
        var recipients = Enumerable.Range(0, 30).Select(i => $"user{i}-{Guid.NewGuid():N}@reset.example").ToList();
        using (var scope = Portal.Services.CreateScope())
        {
            var mailer = scope.ServiceProvider.GetRequiredService<RequestMailer>();
            foreach (var recipient in recipients)
            {
                await mailer.PasswordResetAsync(recipient, "en", new Uri("https://portal.test/reset"));
            }

            await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>().SaveChangesAsync();
        }

        using var first = Portal.Services.CreateScope();
        using var second = Portal.Services.CreateScope();
        var a = ActivatorUtilities.CreateInstance<OutboxSender>(first.ServiceProvider, new WorkerIdentity("instance-a"));
        var b = ActivatorUtilities.CreateInstance<OutboxSender>(second.ServiceProvider, new WorkerIdentity("instance-b"));

        var sent = await Task.WhenAll(a.SendDueAsync(CancellationToken.None), b.SendDueAsync(CancellationToken.None));

        Assert.Equal(recipients.Count, sent.Sum());
        var received = (await MailDev.MessagesAsync()).Where(m => m.To.Any(t => recipients.Contains(t.Address))).ToList();
        for (var i = 0; received.Count < recipients.Count && i < 50; i++)
        {
            await Task.Delay(100);
            received = (await MailDev.MessagesAsync()).Where(m => m.To.Any(t => recipients.Contains(t.Address))).ToList();
        }

        Assert.Equal(recipients.Count, received.Count);
        Assert.Equal(recipients.Order(), received.Select(m => m.To.Single().Address).Order());
    }

    [Fact]
    public async Task AnyChangeToAnOutboxRow_RefusesAWriterHoldingAStaleCopy()
    {
        var recipient = $"stale-{Guid.NewGuid():N}@reset.example";
        using (var scope = Portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RequestMailer>().PasswordResetAsync(recipient, "en", new Uri("https://portal.test/reset"));
            await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>().SaveChangesAsync();
        }

        using var first = Portal.Services.CreateScope();
        using var second = Portal.Services.CreateScope();
        var a = first.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
        var b = second.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
        var mine = await a.OutboxMessages.SingleAsync(m => m.To == recipient);
        var theirs = await b.OutboxMessages.SingleAsync(m => m.To == recipient);

        mine.LeaseOwner = "instance-a";
        await a.SaveChangesAsync();
        theirs.LeaseOwner = "instance-b";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
        Assert.Equal("instance-a", await Portal.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == recipient).Select(m => m.LeaseOwner).SingleAsync()));
    }

    [Fact]
    public async Task CrashedInstance_ItsClaimIsTakenOverWhenTheLeaseRunsOut()
    {
        var recipient = $"crash-{Guid.NewGuid():N}@reset.example";
        long id;
        using (var scope = Portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RequestMailer>().PasswordResetAsync(recipient, "en", new Uri("https://portal.test/reset"));
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            await db.SaveChangesAsync();
            var message = await db.OutboxMessages.SingleAsync(m => m.To == recipient);

            // Instance "crashed" claimed it and died before sending.
            message.LeaseOwner = "crashed";
            message.LeaseUntil = Now + TimeSpan.FromMinutes(5);
            await db.SaveChangesAsync();
            id = message.Id;
        }

        await Portal.SendMailAsync();
        Assert.Empty(await MailDev.MessagesToAsync(recipient, atLeast: 0));

        Portal.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await Portal.SendMailAsync();

        Assert.Single(await MailDev.MessagesToAsync(recipient));
        var sent = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Null(sent.LeaseOwner);
    }

    [Fact]
    public async Task ReminderClaimedByAnotherInstance_IsLeftToIt_AndWithdrawnOnceItsRequestHasClosed()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        var request = await Portal.SubmitAsync(client, domain);
        Portal.Clock.Set(request.ExpiresAt - TimeSpan.FromDays(7));
        var reminderId = await Portal.WithDbAsync(async db =>
        {
            // Another instance has just claimed the reminder and is about to send it.
            var reminder = await db.OutboxMessages.SingleAsync(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Reminder);
            reminder.LeaseOwner = "instance-b";
            reminder.LeaseUntil = Now + TimeSpan.FromMinutes(5);
            await db.SaveChangesAsync();
            return reminder.Id;
        });

        using (var scope = Portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            var tracked = await db.Requests.Include(r => r.PartnerUser).Include(r => r.Organisation).SingleAsync(r => r.Id == request.Id);
            tracked.Activate(Now);
            await scope.ServiceProvider.GetRequiredService<RequestMailer>().WithdrawLinksAsync(tracked.Id, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        Assert.Equal(RequestStatus.Active, await Portal.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));

        // The lease runs out (instance-b died); the next sender sees the request closed and withdraws the reminder.
        Portal.Clock.Advance(TimeSpan.FromMinutes(6));
        await Portal.SendMailAsync();
        var reminder = await Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == reminderId));
        Assert.Equal(OutboxStatus.Cancelled, reminder.Status);
        Assert.Null(reminder.ProtectedLink);
        Assert.DoesNotContain(await MailDev.MessagesToAsync($"it.lead@{domain}", atLeast: 0), m => m.Subject.StartsWith("Reminder", StringComparison.Ordinal));
    }

    internal static string ActivationLink(string text) => MailText.Link(text, "/Activation/");
}

/// <summary>
/// SMTP outages, on a queue of their own: while the server is down the sender stops a batch at
/// the first failure, so another test's due message could take the attempt these count.
/// </summary>
public sealed class SmtpOutageTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private SmtpPortalFactory Portal => fixture.Portal;

    private MailDevServer MailDev => fixture.MailDev;

    private DateTime Now => Portal.Clock.GetUtcNow().UtcDateTime;

    private Task<List<OutboxMessage>> OutboxForAsync(int requestId) =>
        Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == requestId).OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task SmtpDown_MessagesWaitWithBackoff_AndGoOutOnceWhenItIsBack()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        await MailDev.StopAsync();
        try
        {
            var request = await Portal.SubmitAsync(client, domain);

            Assert.Equal(0, await Portal.SendMailAsync());
            var afterOne = (await OutboxForAsync(request.Id))[0];
            Assert.Equal(OutboxStatus.Pending, afterOne.Status);
            Assert.Equal(1, afterOne.Attempts);
            Assert.NotNull(afterOne.LastError);
            Assert.Null(afterOne.LeaseOwner);
            var wait = afterOne.NextAttemptAt - Now;
            Assert.InRange(wait, TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));

            // Still down, still not due: nothing is attempted or lost.
            Assert.Equal(0, await Portal.SendMailAsync());
            Assert.Equal(1, (await OutboxForAsync(request.Id))[0].Attempts);

            Portal.Clock.Advance(wait);
            Assert.Equal(0, await Portal.SendMailAsync());
            var afterTwo = (await OutboxForAsync(request.Id))[0];
            Assert.Equal(2, afterTwo.Attempts);
            Assert.InRange(afterTwo.NextAttemptAt - Now, TimeSpan.FromSeconds(96), TimeSpan.FromSeconds(144));

            await MailDev.StartAsync();
            Portal.Clock.Advance(afterTwo.NextAttemptAt - Now);
            await Portal.SendMailAsync();

            var sent = (await OutboxForAsync(request.Id))[0];
            Assert.Equal(OutboxStatus.Sent, sent.Status);
            Assert.Equal(3, sent.Attempts);
            Assert.Single(await MailDev.MessagesToAsync($"it.lead@{domain}"));
        }
        finally
        {
            await MailDev.StartAsync();
        }
    }

    [Fact]
    public async Task SmtpDownForGood_AfterMaxAttempts_LeavesTheMessageFailedWithItsError()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        await MailDev.StopAsync();
        try
        {
            var request = await Portal.SubmitAsync(client, domain);
            for (var attempt = 1; attempt <= 8; attempt++)
            {
                await Portal.SendMailAsync();
                Portal.Clock.Advance(TimeSpan.FromHours(3));
            }

            var failed = (await OutboxForAsync(request.Id))[0];
            Assert.Equal(OutboxStatus.Failed, failed.Status);
            Assert.Equal(8, failed.Attempts);
            Assert.StartsWith("SmtpException", failed.LastError, StringComparison.Ordinal);

            await Portal.SendMailAsync();
            Assert.Equal(8, (await OutboxForAsync(request.Id))[0].Attempts);

            var history = await Portal.WithDbAsync(db => db.RequestEvents.Where(e => e.AccountRequestId == request.Id).ToListAsync());
            Assert.Contains(history, e => e.Kind == RequestEventKind.MailFailed && e.Detail!.StartsWith($"Activation it.lead@{domain} SmtpException", StringComparison.Ordinal));
        }
        finally
        {
            await MailDev.StartAsync();
        }
    }

    [Fact]
    public async Task ALinkThatCannotBeRead_FailsThatMessageOnly_AndTheOthersGoOut()
    {
        var (client, _) = await Portal.NewPartnerAsync();
        var unreadable = await Portal.SubmitAsync(client, RequestSteps.NewDomain());
        var readable = await Portal.SubmitAsync(client, RequestSteps.NewDomain());

        // As if the Data Protection key that encrypted its link were lost.
        await Portal.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE OutboxMessages SET ProtectedLink = 'not-a-protected-link' WHERE AccountRequestId = {unreadable.Id} AND Kind = 'Activation'"));
        await Portal.SendMailAsync();

        Assert.Single(await MailDev.MessagesToAsync(readable.CustomerEmail));
        Assert.Empty(await MailDev.MessagesToAsync(unreadable.CustomerEmail, atLeast: 0));
        var failed = (await OutboxForAsync(unreadable.Id))[0];
        Assert.Equal((OutboxStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.StartsWith("CryptographicException", failed.LastError, StringComparison.Ordinal);
    }
}
