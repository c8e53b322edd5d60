using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Pages.Staff.Organisations;

/// <summary>The partner organisations, for staff: searched by name, with how many people and open requests each has.</summary>
public sealed class IndexModel(PeopleDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<OrganisationRow> Rows { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        (Rows, Paging) = await directory.OrganisationsAsync(Q, PageNumber, cancellationToken);
}
