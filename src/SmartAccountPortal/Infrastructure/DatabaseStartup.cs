using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Infrastructure;

internal static class DatabaseStartup
{
    /// <summary>
    /// Applies migrations, makes sure the roles exist and, in Development, the demonstration
    /// accounts. Most starts find all of it done: two queries over a plain connection say so,
    /// and EF Core builds its model later, on first use (the background service's first tick
    /// does that right after the server starts), not before the first request.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IHost app)
    {
        var services = app.Services;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        var seeding = environment.IsDevelopment() && !string.IsNullOrEmpty(seed.Password);
        if (await IsReadyAsync(services.GetRequiredService<PlainConnection>()) && !seeding)
        {
            return;
        }

        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().EnsureRolesAsync();
        if (seeding)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SmartAccountPortal.Seed");
            await DevelopmentAccounts.SeedAsync(scope.ServiceProvider, seed.Password!, logger);
        }
    }

    /// <summary>True when the database has this build's newest migration and every role.</summary>
    private static async Task<bool> IsReadyAsync(PlainConnection plain)
    {
        await using var connection = await plain.OpenAsync();
        if (plain.IsSqlite)
        {
            // Readers do not block the writer: the background service and the pages share the file.
            await PlainConnection.ScalarAsync(connection, "PRAGMA journal_mode=WAL;");
        }

        try
        {
            if (await PlainConnection.ScalarAsync(connection, "SELECT MAX(MigrationId) FROM __EFMigrationsHistory") as string != plain.NewestMigration)
            {
                return false;
            }
        }
        catch (DbException)
        {
            // No history table: a new database.
            return false;
        }

        // As UserAccounts.EnsureRolesAsync reads them, for the same check.
        var existing = await PlainConnection.StringsAsync(connection, "SELECT Name FROM AspNetRoles");
        return Roles.All.All(existing.Contains);
    }
}
