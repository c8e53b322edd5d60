namespace SmartAccountPortal.Data;

/// <summary>
/// Process-wide settings of the SQLite library, made once before its first connection opens.
/// SQLite's memory statistics (on by default) take one global lock on every allocation; the
/// search index allocates a great deal while it merges its lists, so concurrent searches queued
/// on that lock: two threads counting the same search used more CPU each and did no more than
/// one. The portal never reads those statistics.
/// </summary>
internal static class SqliteEngine
{
    private static readonly Lazy<int> Configured = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();

        // SQLITE_MISUSE when the library was already initialised (another host in this
        // process, as in the tests): it then keeps the setting it was given first.
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    });

    /// <summary>The library's answer to the setting (0 when made now).</summary>
    public static int Configure() => Configured.Value;
}
