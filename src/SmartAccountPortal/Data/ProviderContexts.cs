using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Data;

/// <summary>The embedded default: SQLite. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    /// <summary>
    /// The newest migration in Data/Migrations/Sqlite (a test checks it). When the database has
    /// it, start-up skips EF Core's migration check (<see cref="PlainConnection"/>).
    /// </summary>
    public const string NewestMigration = "20261122173102_Webhooks";

    /// <summary>
    /// Through the FTS5 table RequestSearch (trigram tokenizer, case and accents folded), kept by
    /// triggers. A term under three characters has no trigram: it is looked for in the same
    /// table with LIKE (case-folded for ASCII only), which reads every row but is rare.
    /// </summary>
    public override IQueryable<AccountRequest> RequestsMatching(string term) =>
        Requests.FromSqlInterpolated(FormattableStringFactory.Create(
            "SELECT * FROM AccountRequests WHERE Id IN (SELECT rowid FROM RequestSearch WHERE " + Condition(term, "{0}") + ")", Value(term)));

    /// <summary>The index hands its hits over newest first (by rowid, the request's id) and stops after the page.</summary>
    public override IQueryable<AccountRequest> NewestMatching(string term, int skip, int take) =>
        RequestOrder.NewestFirst(Requests.FromSqlInterpolated(FormattableStringFactory.Create(
            "SELECT * FROM AccountRequests WHERE Id IN (SELECT rowid FROM RequestSearch WHERE " + Condition(term, "{0}") + " ORDER BY rowid DESC LIMIT {1} OFFSET {2})",
            Value(term), take, skip)));

    /// <summary>The index has a row for each request: counting its hits needs no request read.</summary>
    public override async Task<int> CountMatchingAsync(string term, CancellationToken cancellationToken)
    {
        var connection = Database.GetDbConnection();
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM RequestSearch WHERE " + Condition(term, "$term");
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$term", Value(term)));
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>SQLite has one writer at a time: the UPDATE picks and leases in one step, and RETURNING hands the rows back.</summary>
    public override Task<List<Outbox.OutboxItem>> ClaimDueAsync(Outbox.OutboxChannel channel, string owner, DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken) =>
        OutboxItems.FromSqlInterpolated($@"UPDATE OutboxMessages SET LeaseOwner = {owner}, LeaseUntil = {leaseUntil}, Version = Version + 1
WHERE Id IN (SELECT Id FROM OutboxMessages
             WHERE Status = 'Pending' AND NextAttemptAt <= {now} AND (LeaseUntil IS NULL OR LeaseUntil < {now}) AND Channel = {channel.ToString()}
             ORDER BY NextAttemptAt LIMIT {take})
RETURNING *").ToListAsync(cancellationToken);

    /// <summary>One writer at a time: the UPDATE picks the overdue requests and expires them in one step, RETURNING hands them back.</summary>
    public override Task<List<AccountRequest>> ExpireOverdueAsync(DateTime now, int take, CancellationToken cancellationToken) =>
        Requests.FromSqlInterpolated($@"UPDATE AccountRequests SET Status = 'Expired', ClosedAt = {now}, Version = Version + 1
WHERE Id IN (SELECT Id FROM AccountRequests WHERE Status = 'Pending' AND ExpiresAt <= {now} ORDER BY ExpiresAt LIMIT {take})
RETURNING *").AsNoTracking().ToListAsync(cancellationToken);

    protected override string IdsIn(string jsonParameter) => $"SELECT value FROM json_each({jsonParameter})";

    protected override string RandomHex() => "lower(hex(randomblob(16)))";

    protected override string Concat(params string[] parts) => string.Join(" || ", parts);

    // "Id IN (…)": SQLite reads the index's hits once and looks the requests up by id. A term
    // under three characters has no trigram: LIKE over the index's columns (ASCII case folded).
    private static string Condition(string term, string value) => SearchTerms.Length(term) >= 3
        ? $"RequestSearch MATCH {value}"
        : string.Join(" OR ", SearchedColumns.Select(column => $"{column} LIKE {value} ESCAPE '\\'"));

    private static readonly string[] SearchedColumns = ["Reference", "AccountName", "AccountDomain", "CustomerEmail", "PartnerEmail", "Organisation"];

    private static string Value(string term) => SearchTerms.Length(term) >= 3 ? SearchTerms.Fts5Phrase(term) : SearchTerms.Contains(term);
}

/// <summary>Production: SQL Server. Migrations in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options)
{
    /// <summary>The newest migration in Data/Migrations/SqlServer (a test checks it), as for SQLite.</summary>
    public const string NewestMigration = "20261122173132_Webhooks";

    /// <summary>An accent- and case-insensitive collation for the search.</summary>
    public const string FoldingCollation = "Latin1_General_100_CI_AI";

    /// <summary>
    /// SQL Server's full-text search matches whole words and prefixes, never a part inside a
    /// word ("ntos" in "contoso"), so it cannot keep the search's promise; the search compares
    /// with an accent- and case-insensitive collation instead, which reads the request columns.
    /// </summary>
    public override IQueryable<AccountRequest> RequestsMatching(string term)
    {
        var pattern = SearchTerms.Contains(term);
        return Requests
            .Where(r => EF.Functions.Like(EF.Functions.Collate(r.Reference, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.AccountName, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.AccountDomain, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.CustomerEmail, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.PartnerUser!.Email!, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.Organisation!.Name, FoldingCollation), pattern, SearchTerms.LikeEscape));
    }

    /// <summary>
    /// Row locks taken while reading (UPDLOCK), rows another instance is claiming skipped
    /// (READPAST), so two instances claiming at once each get their own messages.
    /// </summary>
    public override Task<List<Outbox.OutboxItem>> ClaimDueAsync(Outbox.OutboxChannel channel, string owner, DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken) =>
        OutboxItems.FromSqlInterpolated($@"WITH due AS (
    SELECT TOP ({take}) * FROM OutboxMessages WITH (ROWLOCK, UPDLOCK, READPAST)
    WHERE Status = N'Pending' AND NextAttemptAt <= {now} AND (LeaseUntil IS NULL OR LeaseUntil < {now}) AND Channel = {channel.ToString()}
    ORDER BY NextAttemptAt)
UPDATE due SET LeaseOwner = {owner}, LeaseUntil = {leaseUntil}, Version = Version + 1
OUTPUT INSERTED.*;").ToListAsync(cancellationToken);

    /// <summary>
    /// Row locks taken while reading (UPDLOCK), rows another instance is expiring skipped
    /// (READPAST); the UPDATE expires them and OUTPUT hands them back.
    /// </summary>
    public override Task<List<AccountRequest>> ExpireOverdueAsync(DateTime now, int take, CancellationToken cancellationToken) =>
        Requests.FromSqlInterpolated($@"WITH due AS (
    SELECT TOP ({take}) * FROM AccountRequests WITH (ROWLOCK, UPDLOCK, READPAST)
    WHERE Status = N'Pending' AND ExpiresAt <= {now}
    ORDER BY ExpiresAt)
UPDATE due SET Status = N'Expired', ClosedAt = {now}, Version = Version + 1
OUTPUT INSERTED.*;").AsNoTracking().ToListAsync(cancellationToken);

    protected override string IdsIn(string jsonParameter) => $"SELECT CAST(value AS int) FROM OPENJSON({jsonParameter})";

    protected override string RandomHex() => "LOWER(REPLACE(CONVERT(char(36), NEWID()), '-', ''))";

    protected override string Concat(params string[] parts) => $"CONCAT({string.Join(", ", parts)})";

    /// <summary>The indexed view read as stored (NOEXPAND): otherwise editions other than Enterprise would count the requests again.</summary>
    public override IQueryable<RequestCount> RequestCounts =>
        Set<RequestCount>().FromSqlRaw("SELECT OrganisationId, Status, [Count] FROM dbo.RequestCounts WITH (NOEXPAND)");
}
