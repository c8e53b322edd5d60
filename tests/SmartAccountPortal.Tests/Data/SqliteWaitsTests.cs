using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Data;

/// <summary>Concurrent writers wait inside SQLite for the lock, in short steps, rather than in the driver's 150 ms sleeps.</summary>
public sealed class SqliteWaitsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task EveryConnectionThePortalOpens_LetsSQLiteWaitForTheLock()
    {
        var timeout = await factory.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Equal(30_000, timeout);
    }

    [Fact]
    public async Task SixteenWritersAtOnce_AllCommit()
    {
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();

        // Sixteen transactions that each hold the writer lock a moment: none fails with "database is locked".
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => factory.SeedRequestsAsync(partner, 3)));

        Assert.Equal(48, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.PartnerUser!.Email == partner)));
    }
}
