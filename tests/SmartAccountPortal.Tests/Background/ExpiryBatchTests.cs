using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Background;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Background;

/// <summary>A portal that expires five requests a batch, and whose database can fail one command on demand.</summary>
public sealed class CrashingExpiryFactory : PortalFactory
{
    public CrashOnCommand Crash { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Background:BatchSize", "5"), new("Background:ExpiryBatchSize", "5")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IInterceptor>(Crash));
    }

    /// <summary>Fails the next command whose SQL contains <see cref="When"/>, as a crash at that point would.</summary>
    public sealed class CrashOnCommand : DbCommandInterceptor
    {
        public string? When { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            DieAt(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            DieAt(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void DieAt(DbCommand command)
        {
            if (When is { } text && command.CommandText.Contains(text, StringComparison.Ordinal))
            {
                When = null;
                throw new IOException("The process died here.");
            }
        }
    }
}

public sealed class ExpiryBatchTests(CrashingExpiryFactory factory) : IClassFixture<CrashingExpiryFactory>
{
    private async Task<List<int>> OverdueAsync(int count)
    {
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, count);
        factory.Clock.Advance(TimeSpan.FromDays(91));
        return requests.Select(r => r.Id).ToList();
    }

    private Task<(int Expired, int Events, int Notices)> StateAsync(List<int> ids) =>
        factory.WithDbAsync(async db => (
            await db.Requests.CountAsync(r => ids.Contains(r.Id) && r.Status == RequestStatus.Expired),
            await db.RequestEvents.CountAsync(e => ids.Contains(e.AccountRequestId) && e.Kind == RequestEventKind.Expired),
            await db.OutboxMessages.CountAsync(m => ids.Contains(m.AccountRequestId!.Value) && (m.Kind == MailKind.ExpiredPartner || m.Kind == MailKind.ExpiredCustomer))));

    [Fact]
    public async Task ACrashInTheMiddleOfABatch_LeavesNothingHalfDone_AndTheNextRunExpiresEachOnce()
    {
        var ids = await OverdueAsync(5);

        // The batch's transaction dies while writing its notices.
        factory.Crash.When = "INSERT INTO OutboxMessages";
        using (var scope = factory.Services.CreateScope())
        {
            await Assert.ThrowsAsync<IOException>(() => scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None));
        }

        Assert.Equal((0, 0, 0), await StateAsync(ids));

        using (var scope = factory.Services.CreateScope())
        {
            Assert.Equal(5, await scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None));
        }

        Assert.Equal((5, 5, 10), await StateAsync(ids));
    }

    [Fact]
    public async Task ABatch_TakesBatchSizeRequests_AndBatchesGoOnUntilNoneIsDue()
    {
        var ids = await OverdueAsync(12);

        using (var scope = factory.Services.CreateScope())
        {
            var expiry = scope.ServiceProvider.GetRequiredService<RequestExpiry>();
            var first = await expiry.ExpireBatchAsync(CancellationToken.None);
            Assert.Equal(new Batch(5, Full: true), first);
            while ((await expiry.ExpireBatchAsync(CancellationToken.None)).MoreWaiting)
            {
            }
        }

        Assert.Equal((12, 12, 24), await StateAsync(ids));
    }
    [Fact]
    public async Task Notices_AreQueuedUnwritten_AndWrittenWhenSent_EachInItsReadersLanguage()
    {
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var request = await factory.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == partner);
            user.PreferredLanguage = "nl";
            var domain = RequestSteps.NewDomain();
            var submitted = AccountRequest.Submit(
                ReferenceGenerator.Next(), new RequestDetails("Società Müller", $"it@{domain}", domain, null, [], null, "it"), user,
                Guid.NewGuid().ToString("N"), ActivationTokens.Create().Hash, factory.Clock.GetUtcNow().UtcDateTime, AccountRequest.DefaultExpiresAfter);
            db.Requests.Add(submitted);
            await db.SaveChangesAsync();
            return submitted;
        });
        factory.Clock.Advance(TimeSpan.FromDays(91));

        using (var scope = factory.Services.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None));
        }

        var queued = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.AccountRequestId == request.Id && (m.Kind == MailKind.ExpiredPartner || m.Kind == MailKind.ExpiredCustomer))
            .OrderBy(m => m.Kind).ToListAsync());
        Assert.Equal([(MailKind.ExpiredPartner, partner, "nl"), (MailKind.ExpiredCustomer, request.CustomerEmail, "it")],
            queued.Select(m => (m.Kind, m.To, m.Language)).OrderBy(m => m.Kind).ToList());
        Assert.All(queued, m => Assert.False(m.IsWritten));
        Assert.Equal(2, queued.Select(m => m.MessageId).Distinct().Count());

        while (await factory.SendMailAsync() > 0)
        {
            // The other tests' notices share this portal, and it sends five a batch.
        }

        Assert.Equal($"Smart Account-aanvraag voor {request.AccountDomain} verlopen", Assert.Single(factory.MailTo(partner), m => m.Subject.Contains("verlopen", StringComparison.Ordinal)).Subject);
        var customer = Assert.Single(factory.MailTo(request.CustomerEmail));
        Assert.Equal($"Richiesta di Smart Account per {request.AccountDomain} scaduta", customer.Subject);
        Assert.Contains("Società Müller", customer.Text, StringComparison.Ordinal);
        var sent = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == request.Id && m.Status == OutboxStatus.Sent).ToListAsync());
        Assert.Equal(2, sent.Count(m => m.IsWritten && m.Kind is MailKind.ExpiredPartner or MailKind.ExpiredCustomer));
    }

    [Fact]
    public async Task ACustomerAnswerSavedFromACopyReadBeforeTheExpiry_IsRefused()
    {
        var ids = await OverdueAsync(1);
        using var customer = factory.Services.CreateScope();
        var customerDb = customer.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
        var copy = await customerDb.Requests.SingleAsync(r => r.Id == ids[0]);

        using (var scope = factory.Services.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None));
        }

        // The customer's answer was read, and its time checked, before the expiry took it.
        copy.Activate(copy.ExpiresAt.AddMinutes(-1));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => customerDb.SaveChangesAsync());
        Assert.Equal((1, 1, 2), await StateAsync(ids));
    }
}
