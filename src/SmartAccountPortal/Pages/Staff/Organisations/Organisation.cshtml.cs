using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Staff.Organisations;

/// <summary>
/// One organisation, for staff: its people, its invitations not yet followed, a link to its
/// requests in the support console, its webhook endpoints and whether they are paused (for a
/// partner asking why events stopped), and what was done in it. Administrators rename it here.
/// </summary>
public sealed class OrganisationModel(
    PortalDbContext db,
    UserManager<PortalUser> users,
    UserAccounts accounts,
    PeopleDirectory directory,
    Webhooks.WebhookEndpoints webhooks) : PageModel
{
    public const int AuditShown = 50;

    public OrganisationRow Organisation { get; private set; } = null!;

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public IReadOnlyList<InvitedRow> Invited { get; private set; } = [];

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public IReadOnlyList<Webhooks.WebhookEndpointRow> Endpoints { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    [BindProperty]
    [Display(Name = "Staff.Organisation.NewName")]
    public string? Name { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(int id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Name = Organisation.Name;
        return Page();
    }

    /// <summary>A new name, not another organisation's; Administrators only.</summary>
    public async Task<IActionResult> OnPostRenameAsync(int id)
    {
        if (!User.IsInRole(Roles.Administrator))
        {
            return Forbid();
        }

        if (!await db.Organisations.AnyAsync(o => o.Id == id, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        var name = (Name ?? "").Trim();
        if (name.Length == 0)
        {
            ModelState.AddModelError(nameof(Name), Texts.Get("Staff.Organisation.EnterName"));
        }

        AccountFields.CheckOrganisationName(ModelState, nameof(Name), name);
        if (ModelState.ErrorCount == 0)
        {
            var result = await accounts.RenameOrganisationAsync(id, name, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
            if (result.Succeeded)
            {
                StatusMessage = Texts.Format("Staff.Organisation.Renamed", name);
                return RedirectToPage(new { id });
            }

            ModelState.AddModelError(nameof(Name), Texts.Format(result.ProblemKey!, result.Values));
        }

        await LoadAsync(id);
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await directory.OrganisationAsync(id, HttpContext.RequestAborted) is not { } organisation)
        {
            return false;
        }

        Organisation = organisation;
        (People, Paging) = await directory.PeopleAsync(null, null, id, PageNumber, HttpContext.RequestAborted);
        Invited = await directory.InvitedAsync(null, id, HttpContext.RequestAborted);
        Endpoints = await webhooks.ListAsync(id, HttpContext.RequestAborted);
        History = await db.AuditEntries.AsNoTracking().Where(e => e.OrganisationId == id)
            .OrderByDescending(e => e.Id).Take(AuditShown).ToListAsync(HttpContext.RequestAborted);
        return true;
    }
}
