using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Data;

/// <summary>
/// How many requests an organisation has in a state, kept by the database itself as requests
/// are added and change state (SQLite: triggers; SQL Server: an indexed view), so the lists
/// and the dashboard count without reading every request.
/// </summary>
public sealed class RequestCount
{
    public int OrganisationId { get; set; }

    public RequestStatus Status { get; set; }

    public long Count { get; set; }
}

internal sealed class RequestCountConfiguration : IEntityTypeConfiguration<RequestCount>
{
    // Created by the migrations' own SQL (a table kept by triggers, or an indexed view), not by the model.
    public void Configure(EntityTypeBuilder<RequestCount> builder)
    {
        builder.HasNoKey().ToView("RequestCounts");
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
    }
}

/// <summary>The lists' default order.</summary>
public static class RequestOrder
{
    /// <summary>Newest first, by id: ids follow submission, and the list indexes end with the id.</summary>
    public static IQueryable<AccountRequest> NewestFirst(IQueryable<AccountRequest> requests) =>
        requests.OrderByDescending(r => r.Id);

    /// <summary>The lists' sort choices: "expires" (soonest first), "state" (Pending, Active, Declined, Cancelled, Expired; newest first within each), else newest first.</summary>
    public static IQueryable<AccountRequest> By(IQueryable<AccountRequest> requests, string? sort) => sort switch
    {
        Expires => requests.OrderBy(r => r.ExpiresAt).ThenBy(r => r.Id),
        State => requests.OrderBy(r => r.Status == RequestStatus.Pending ? 0
                : r.Status == RequestStatus.Active ? 1
                : r.Status == RequestStatus.Declined ? 2
                : r.Status == RequestStatus.Cancelled ? 3 : 4).ThenByDescending(r => r.Id),
        _ => NewestFirst(requests),
    };

    public const string Submitted = "submitted";

    public const string Expires = "expires";

    public const string State = "state";
}

/// <summary>What a search term becomes in SQL: text, never syntax.</summary>
public static class SearchTerms
{
    public const string LikeEscape = "\\";

    /// <summary>
    /// No searched value is longer (addresses 256, domains 253, names 200): a longer term is cut
    /// here, so a hostile one never reaches SQLite's LIKE, which refuses patterns over 50,000 bytes.
    /// </summary>
    public const int MaxTermLength = 256;

    /// <summary>A LIKE pattern finding <paramref name="term"/> (its first <see cref="MaxTermLength"/> characters) anywhere, its wildcards escaped.</summary>
    public static string Contains(string term) =>
        "%" + (term.Length > MaxTermLength ? term[..MaxTermLength] : term).Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal) + "%";

    /// <summary>An FTS5 string: the term in double quotes, its own quotes doubled, so no character is an operator.</summary>
    public static string Fts5Phrase(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Characters (code points) in the term: the trigram index needs at least three.</summary>
    public static int Length(string term) => term.EnumerateRunes().Count();
}
