using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using SmartAccountPortal.Data;

namespace SmartAccountPortal.Tests.Data;

/// <summary>
/// Each provider's migrations must describe exactly the current model. SQL Server cannot run
/// on these machines, so its side is checked by building its model, diffing it against its
/// snapshot and generating its SQL script.
/// </summary>
public sealed class MigrationTests : IDisposable
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"migrations-{Guid.NewGuid():N}.db");

    private static SqlServerPortalDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerPortalDbContext>().UseSqlServer("Server=unused;Database=unused").Options);

    private SqlitePortalDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={databasePath}").Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(databasePath);
    }

    /// <summary>
    /// The portal runs on compiled models (Data/CompiledModels), which start faster; after a model
    /// change they must be generated again (`dotnet ef dbcontext optimize`, see the README).
    /// </summary>
    [Fact]
    public void CompiledModels_MatchTheModel()
    {
        using var sqlite = Sqlite();
        Assert.Equal(Shape(sqlite.GetService<IDesignTimeModel>().Model), Shape(SmartAccountPortal.Data.CompiledModels.Sqlite.SqlitePortalDbContextModel.Instance));
        using var sqlServer = SqlServer();
        Assert.Equal(Shape(sqlServer.GetService<IDesignTimeModel>().Model), Shape(SmartAccountPortal.Data.CompiledModels.SqlServer.SqlServerPortalDbContextModel.Instance));
    }

    /// <summary>What the database and the change tracker see of a model, a line per table, column, key, index and relationship.</summary>
    private static List<string> Shape(IModel model) =>
        model.GetEntityTypes().SelectMany(entity =>
        {
            var table = entity.GetTableName() ?? entity.GetViewName() ?? "(none)";
            return new[] { $"{entity.Name} -> {table}" }
                .Concat(entity.GetProperties().Select(p =>
                    $"{entity.Name}.{p.Name}: {p.ClrType.Name} column {p.GetColumnBaseName()} null={p.IsNullable} max={p.GetMaxLength()} unicode={p.IsUnicode()} " +
                    $"generated={p.ValueGenerated} token={p.IsConcurrencyToken} converter={p.GetValueConverter()?.GetType().Name} provider={p.GetProviderClrType()?.Name}"))
                .Concat(entity.GetKeys().Select(k => $"{entity.Name} key {string.Join(",", k.Properties.Select(p => p.Name))} primary={k.IsPrimaryKey()}"))
                .Concat(entity.GetIndexes().Select(i => $"{entity.Name} index ({string.Join(",", i.Properties.Select(p => p.Name))}) unique={i.IsUnique}"))
                .Concat(entity.GetForeignKeys().Select(f => $"{entity.Name} fk ({string.Join(",", f.Properties.Select(p => p.Name))}) -> {f.PrincipalEntityType.Name} {f.DeleteBehavior} required={f.IsRequired}"));
        }).Order(StringComparer.Ordinal).ToList();

    /// <summary>Start-up skips the migration check when the database has this migration: it must be the newest.</summary>
    [Fact]
    public void NewestMigration_IsTheNewestOfEachProvider()
    {
        using var sqlite = Sqlite();
        Assert.Equal(SqlitePortalDbContext.NewestMigration, sqlite.Database.GetMigrations().Last());
        using var sqlServer = SqlServer();
        Assert.Equal(SqlServerPortalDbContext.NewestMigration, sqlServer.Database.GetMigrations().Last());
    }

    [Fact]
    public void Sqlite_Migrations_MatchTheModel()
    {
        using var db = Sqlite();
        Assert.False(HasPendingModelChanges(db), "The model has changed since the last SQLite migration: add one.");
    }

    [Fact]
    public void SqlServer_Migrations_MatchTheModel()
    {
        using var db = SqlServer();
        Assert.False(HasPendingModelChanges(db), "The model has changed since the last SQL Server migration: add one.");
    }

    [Fact]
    public void SqlServer_Script_CreatesEveryTableAndTheOpenDomainIndex()
    {
        using var db = SqlServer();
        var migrator = db.GetService<IMigrator>();
        var script = migrator.GenerateScript();
        var idempotent = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("IF NOT EXISTS(SELECT * FROM [__EFMigrationsHistory]", idempotent, StringComparison.Ordinal);

        foreach (var table in new[] { "AccountRequests", "RequestEvents", "Organisations", "DataProtectionKeys", "AspNetUsers", "AspNetRoles" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("CREATE UNIQUE INDEX [IX_AccountRequests_AccountDomain_Open] ON [AccountRequests] ([AccountDomain]) WHERE [Status] IN ('Pending', 'Active')", script, StringComparison.Ordinal);
        Assert.Contains("[Status] nvarchar(16) NOT NULL", script, StringComparison.Ordinal);
        Assert.Equal(db.Database.GetMigrations().Count(), db.Database.GetMigrations().Count(m => script.Contains(m, StringComparison.Ordinal)));

        // The kept counts: an indexed view, created through EXEC so that it is valid inside the idempotent script's IF blocks.
        Assert.Contains("EXEC(N'CREATE VIEW dbo.RequestCounts WITH SCHEMABINDING AS", idempotent, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE CLUSTERED INDEX IX_RequestCounts ON dbo.RequestCounts (OrganisationId, Status);", idempotent, StringComparison.Ordinal);
        Assert.DoesNotContain("    CREATE VIEW", idempotent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_AfterEveryMigration_TheSearchIndexAndCountTriggersExist()
    {
        await using var db = Sqlite();
        await db.Database.MigrateAsync();

        await db.Database.OpenConnectionAsync();
        var triggers = await PlainConnection.StringsAsync(db.Database.GetDbConnection(), "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");

        Assert.Equal(
            ["RequestCounts_AfterDelete", "RequestCounts_AfterInsert", "RequestCounts_AfterUpdate",
             "RequestSearch_AfterDelete", "RequestSearch_AfterInsert", "RequestSearch_AfterUpdate", "RequestSearch_Organisation", "RequestSearch_PartnerEmail"],
            triggers);
    }

    [Fact]
    public async Task Sqlite_MigrateANewFile_CreatesTheSchemaAndEnforcesOneOpenRequestPerDomain()
    {
        await using var db = Sqlite();
        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var insert = """
            INSERT INTO AspNetUsers (Id, AccessFailedCount, EmailConfirmed, LockoutEnabled, PhoneNumberConfirmed, TwoFactorEnabled) VALUES ('u', 0, 1, 1, 0, 0);
            INSERT INTO Organisations (Id, Name) VALUES (1, 'Org');
            """;
        await db.Database.ExecuteSqlRawAsync(insert);
        const string request = "INSERT INTO AccountRequests (Reference, AccountName, CustomerEmail, AccountDomain, UserEmails, PartnerUserId, OrganisationId, Status, SubmittedAt, ExpiresAt, SubmissionKey, ActivationTokenHash, LinkIssuedAt, Version) " +
                               "VALUES ({0}, 'A', 'a@d.com', 'd.com', '', 'u', 1, {1}, '2026-01-01', '2026-04-01', {0}, {0}, '2026-01-01', 1)";
        await db.Database.ExecuteSqlRawAsync(request, "SA-1", "Expired");
        await db.Database.ExecuteSqlRawAsync(request, "SA-2", "Pending");
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(request, "SA-3", "Active"));
    }

    private static bool HasPendingModelChanges(DbContext db)
    {
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        Assert.NotNull(snapshot);
        if (snapshot is IMutableModel mutable)
        {
            snapshot = mutable.FinalizeModel();
        }

        snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        var current = db.GetService<IDesignTimeModel>().Model;
        return db.GetService<IMigrationsModelDiffer>().HasDifferences(snapshot.GetRelationalModel(), current.GetRelationalModel());
    }
}
