using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>Smart Account Request Complete: where the final submit lands (post, then redirect).</summary>
public sealed class CompleteModel(PortalDbContext db) : PageModel
{
    public AccountRequest Submitted { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        var organisationId = User.GetOrganisationId();
        var request = await db.Requests.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Reference == reference && r.OrganisationId == organisationId);

        // Another organisation's request answers exactly like one that does not exist.
        if (request is null)
        {
            return NotFound();
        }

        Submitted = request;
        return Page();
    }
}
