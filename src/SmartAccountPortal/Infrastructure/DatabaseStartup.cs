using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Infrastructure;

internal static class DatabaseStartup
{
    /// <summary>Applies migrations, makes sure the roles exist and, in Development, the demonstration accounts.</summary>
    public static async Task PrepareDatabaseAsync(this IHost app)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PortalDbContext>();
        // Most starts find the database up to date: one query says so, without EF Core's check.
        if (await NewestAppliedMigrationAsync(db) != db.LatestMigration)
        {
            await db.Database.MigrateAsync();
        }

        if (db.Database.IsSqlite())
        {
            // Readers do not block the writer: the background service and the pages share the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        await services.GetRequiredService<UserAccounts>().EnsureRolesAsync();

        var environment = services.GetRequiredService<IHostEnvironment>();
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (environment.IsDevelopment() && !string.IsNullOrEmpty(seed.Password))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SmartAccountPortal.Seed");
            await DevelopmentAccounts.SeedAsync(services, seed.Password, logger);
        }
    }

    /// <summary>The newest migration the database records, or null for a database that has none yet.</summary>
    private static async Task<string?> NewestAppliedMigrationAsync(PortalDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        try
        {
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(MigrationId) FROM __EFMigrationsHistory";
            return await command.ExecuteScalarAsync() as string;
        }
        catch (System.Data.Common.DbException)
        {
            // No history table: a new database.
            return null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
