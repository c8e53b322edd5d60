using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Workflow;

/// <summary>
/// Which requests a list shows: an organisation's (My Requests) or all (support), in a state,
/// holding a search term. One definition for the support console, My Requests and their counts.
/// </summary>
public sealed record RequestFilter(int? OrganisationId, RequestStatus? State, string? Text)
{
    /// <summary>The search term as typed, trimmed; null when there is none.</summary>
    public string? Term => string.IsNullOrWhiteSpace(Text) ? null : Text.Trim();

    /// <summary>The matching requests, unordered, read-only.</summary>
    public IQueryable<AccountRequest> Apply(PortalDbContext db)
    {
        var query = db.Requests.AsNoTracking();
        if (OrganisationId is int organisation)
        {
            query = query.Where(r => r.OrganisationId == organisation);
        }

        if (State is RequestStatus wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        if (Term is string term)
        {
            // A whole reference is looked up by its own index; anything else through the search.
            var reference = term.ToUpperInvariant();
            if (reference.Length == ReferenceGenerator.Prefix.Length + ReferenceGenerator.Length && reference.StartsWith(ReferenceGenerator.Prefix, StringComparison.Ordinal))
            {
                query = query.Where(r => r.Reference == reference);
            }
            else
            {
                var matching = db.RequestsMatching(term);
                query = query.Where(r => matching.Contains(r.Id));
            }
        }

        return query;
    }

    /// <summary>
    /// How many requests match, exactly. Without a search term it is read from the counts the
    /// database keeps per organisation and state, instead of counting every request.
    /// </summary>
    public async Task<int> CountAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (Term is not null)
        {
            return await Apply(db).CountAsync(cancellationToken);
        }

        var counts = db.RequestCounts;
        if (OrganisationId is int organisation)
        {
            counts = counts.Where(c => c.OrganisationId == organisation);
        }

        if (State is RequestStatus wanted)
        {
            counts = counts.Where(c => c.Status == wanted);
        }

        return (int)await counts.SumAsync(c => c.Count, cancellationToken);
    }
}
