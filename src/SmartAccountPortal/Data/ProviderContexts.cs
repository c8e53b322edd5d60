using Microsoft.EntityFrameworkCore;

namespace SmartAccountPortal.Data;

/// <summary>The embedded default: SQLite. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    /// <summary>
    /// Through the FTS5 table RequestSearch (trigram tokenizer, case and accents folded), kept by
    /// triggers. A term under three characters has no trigram: it is looked for in the same
    /// table with LIKE (case-folded for ASCII only), which reads every row but is rare.
    /// </summary>
    public override IQueryable<int> RequestsMatching(string term)
    {
        if (SearchTerms.Length(term) >= 3)
        {
            return Set<SearchHit>()
                .FromSqlInterpolated($"SELECT rowid AS Id FROM RequestSearch WHERE RequestSearch MATCH {SearchTerms.Fts5Phrase(term)}")
                .Select(h => h.Id);
        }

        var pattern = SearchTerms.Contains(term);
        return Set<SearchHit>()
            .FromSqlInterpolated($@"SELECT rowid AS Id FROM RequestSearch
                WHERE Reference LIKE {pattern} ESCAPE '\' OR AccountName LIKE {pattern} ESCAPE '\' OR AccountDomain LIKE {pattern} ESCAPE '\'
                   OR CustomerEmail LIKE {pattern} ESCAPE '\' OR PartnerEmail LIKE {pattern} ESCAPE '\' OR Organisation LIKE {pattern} ESCAPE '\'")
            .Select(h => h.Id);
    }
}

/// <summary>Production: SQL Server. Migrations in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options)
{
    /// <summary>An accent- and case-insensitive collation for the search.</summary>
    public const string FoldingCollation = "Latin1_General_100_CI_AI";

    /// <summary>
    /// SQL Server's full-text search matches whole words and prefixes, never a part inside a
    /// word ("ntos" in "contoso"), so it cannot keep the search's promise; the search compares
    /// with an accent- and case-insensitive collation instead, which reads the request columns.
    /// </summary>
    public override IQueryable<int> RequestsMatching(string term)
    {
        var pattern = SearchTerms.Contains(term);
        return Requests
            .Where(r => EF.Functions.Like(EF.Functions.Collate(r.Reference, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.AccountName, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.AccountDomain, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.CustomerEmail, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.PartnerUser!.Email!, FoldingCollation), pattern, SearchTerms.LikeEscape)
                || EF.Functions.Like(EF.Functions.Collate(r.Organisation!.Name, FoldingCollation), pattern, SearchTerms.LikeEscape))
            .Select(r => r.Id);
    }

    /// <summary>The indexed view read as stored (NOEXPAND): otherwise editions other than Enterprise would count the requests again.</summary>
    public override IQueryable<RequestCount> RequestCounts =>
        Set<RequestCount>().FromSqlRaw("SELECT OrganisationId, Status, [Count] FROM dbo.RequestCounts WITH (NOEXPAND)");
}
