using System.Data.Common;

namespace SmartAccountPortal.Data;

/// <summary>
/// A connection of the provider without EF Core, for what must be read before EF Core has built
/// its model (about 0.2 s): start-up's check of the database, and the Data Protection keys the
/// first page needs. <paramref name="NewestMigration"/> is this build's newest migration.
/// </summary>
internal sealed record PlainConnection(string NewestMigration, Func<DbConnection> Create, bool IsSqlite)
{
    public async Task<DbConnection> OpenAsync()
    {
        var connection = Create();
        await connection.OpenAsync();
        if (IsSqlite)
        {
            // As every connection of the portal: SQLite waits for the writer lock itself.
            await ScalarAsync(connection, SqliteWaits.Pragma);
        }

        return connection;
    }

    public DbConnection Open()
    {
        var connection = Create();
        connection.Open();
        if (IsSqlite)
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteWaits.Pragma;
            command.ExecuteNonQuery();
        }

        return connection;
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The first column of every row <paramref name="sql"/> reads, as text.</summary>
    public static async Task<List<string>> StringsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
