using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>My Requests: the partner's organisation's requests, newest first (or by expiry or state), 25 a page.</summary>
public sealed class IndexModel(PortalDbContext db) : PageModel
{
    /// <summary>What a row of the list shows, read on its own: not the whole request, whose other columns (notes, users, times, keys) the list never shows.</summary>
    public sealed record Row(
        string Reference,
        string AccountName,
        string AccountDomain,
        string CustomerEmail,
        RequestStatus Status,
        DateTime SubmittedAt,
        DateTime ExpiresAt,
        DateTime? ClosedAt);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public RequestStatus? State { get; set; }

    /// <summary>"submitted" (newest first, the default), "expires" (soonest first) or "state".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    // Not "page": Razor Pages keeps that name for its own route value.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = new RequestFilter(User.GetOrganisationId()!.Value, State, Q);
        Paging = Paging.For(PageNumber, await filter.CountAsync(db, cancellationToken));
        Rows = await ToRows(RequestOrder.By(filter.Apply(db), Sort).Skip(Paging.Skip).Take(Paging.PageSize)).ToListAsync(cancellationToken);
    }

    /// <summary>The organisation's requests in the list's order, as rows (the benchmark runs this too).</summary>
    public static IQueryable<Row> Query(PortalDbContext db, int organisationId, RequestStatus? state, string? text = null) =>
        ToRows(RequestOrder.NewestFirst(new RequestFilter(organisationId, state, text).Apply(db)));

    private static IQueryable<Row> ToRows(IQueryable<AccountRequest> requests) =>
        requests.Select(r => new Row(r.Reference, r.AccountName, r.AccountDomain, r.CustomerEmail, r.Status, r.SubmittedAt, r.ExpiresAt, r.ClosedAt));
}
