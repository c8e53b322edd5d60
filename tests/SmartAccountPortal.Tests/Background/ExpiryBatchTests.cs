using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Background;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Background;

/// <summary>A portal that expires five requests a batch, and whose database can fail one command on demand.</summary>
public sealed class CrashingExpiryFactory : PortalFactory
{
    public CrashOnCommand Crash { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Background:BatchSize", "5")];

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
            if (When is { } text && command.CommandText.Contains(text, StringComparison.Ordinal))
            {
                When = null;
                throw new IOException("The process died here.");
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
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
        factory.Crash.When = "INSERT INTO \"OutboxMessages\"";
        using (var scope = factory.Services.CreateScope())
        {
            var crash = await Assert.ThrowsAsync<DbUpdateException>(() => scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(CancellationToken.None));
            Assert.IsType<IOException>(crash.InnerException);
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
}
