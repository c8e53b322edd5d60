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
        await db.Database.MigrateAsync();
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
}
