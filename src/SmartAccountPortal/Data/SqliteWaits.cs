using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SmartAccountPortal.Data;

/// <summary>
/// Lets SQLite itself wait for the writer lock (<c>busy_timeout</c>), in steps of a millisecond
/// or two. Without it the ADO.NET driver answers a busy database by sleeping 150 ms and trying
/// again, so concurrent submissions queued behind each other in 150 ms steps. The setting
/// belongs to the native connection, which the pool keeps: it is made once per native
/// connection, not on every open.
/// </summary>
internal sealed class SqliteWaits : DbConnectionInterceptor
{
    public const string Pragma = "PRAGMA busy_timeout = 30000;";

    private static readonly ConditionalWeakTable<object, object> Waiting = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Waiting.TryAdd(handle, Pragma);
}
