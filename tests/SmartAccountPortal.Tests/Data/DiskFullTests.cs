using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartAccountPortal.Tests.Data;

/// <summary>
/// Where a small file system cannot be mounted (not root), the nearest thing: every connection
/// the portal opens is held to the pages the file already has (PRAGMA max_page_count), so any
/// write that needs room fails with SQLite's own SQLITE_FULL.
/// </summary>
public sealed class PageLimit : DbConnectionInterceptor
{
    public bool IsFull { get; set; }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsFull)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA max_page_count = 1;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
}

/// <summary>The portal's database on a 2 MB file system that the test fills, or held to its pages where mounting is not allowed.</summary>
public sealed class FullDiskFactory : PortalFactory
{
    private readonly PageLimit pageLimit = new();

    public SmallDisk? Disk { get; } = SmallDisk.TryMount();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        Disk is null ? [] : [new("ConnectionStrings:Portal", $"Data Source={Path.Combine(Disk.Path, "portal.db")}")];

    public void Fill()
    {
        if (Disk is null)
        {
            // New connections get the limit; the pooled ones are let go.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            pageLimit.IsFull = true;
        }
        else
        {
            Disk.Fill();
        }
    }

    public void Empty()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        pageLimit.IsFull = false;
        Disk?.Empty();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IInterceptor>(pageLimit));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Disk?.Dispose();
        }
    }
}

public sealed class DiskFullTests(FullDiskFactory factory, ITestOutputHelper output) : IClassFixture<FullDiskFactory>
{
    [Fact]
    public async Task DiskFull_SubmitShowsTheErrorPage_SavesNothing_LogsTheRealCause_AndHealthSaysUnhealthy()
    {
        output.WriteLine(factory.Disk is null ? "Disk full simulated with a page limit (no permission to mount)." : "Database on a real 2 MB file system.");
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var domain = RequestSteps.NewDomain();
            var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
            using var review = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string>
            {
                ["Input.AccountName"] = "Contoso Pharmaceuticals",
                ["Input.CustomerEmail"] = $"it.lead@{domain}",
                ["Input.AccountDomain"] = domain,
                ["Input.NoteToCustomer"] = new string('n', 1000),
                ["Input.NoteToAddedUsers"] = new string('u', 1000),
            });
            var dialog = (await client.ReadFollowingAsync(review)).Form("[role=dialog] form");
            var linesBefore = factory.Logs.Lines.Count;

            factory.Fill();
            try
            {
                using var submitted = await client.SubmitAsync(dialog, dialog.Button("Submit Request"));
                using var health = await client.GetAsync("/health");

                Assert.Equal(HttpStatusCode.InternalServerError, submitted.StatusCode);
                var page = await Html.ReadAsync(submitted);
                Assert.Equal("Something went wrong", page.QuerySelector("h1")!.TextContent);
                Assert.Matches("^[0-9a-f]{32}$", page.QuerySelector(".reference code")!.TextContent);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());

                var logged = string.Join("\n", factory.Logs.Lines.Skip(linesBefore));
                Assert.True(logged.Contains("database or disk is full", StringComparison.Ordinal), logged);
                Assert.DoesNotContain("cannot rollback", logged, StringComparison.Ordinal);
                Assert.Contains("responded 500", logged, StringComparison.Ordinal);
            }
            finally
            {
                factory.Empty();
            }

            Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
            Assert.Equal(0, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == $"it.lead@{domain}")));
            using var recovered = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }
    }
}
