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

    public IReadOnlyList<AccountRequest> Rows { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = new RequestFilter(User.GetOrganisationId()!.Value, State, Q);
        Paging = Paging.For(PageNumber, await filter.CountAsync(db, cancellationToken));
        Rows = await RequestOrder.By(filter.Apply(db), Sort).Skip(Paging.Skip).Take(Paging.PageSize).ToListAsync(cancellationToken);
    }

    /// <summary>The organisation's requests in the list's order (the benchmark runs this too).</summary>
    public static IQueryable<AccountRequest> Query(PortalDbContext db, int organisationId, RequestStatus? state, string? text = null) =>
        RequestOrder.NewestFirst(new RequestFilter(organisationId, state, text).Apply(db));
}
