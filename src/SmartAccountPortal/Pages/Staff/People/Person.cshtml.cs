using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Staff.People;

/// <summary>
/// One person, for staff: role, organisation, state, two-factor, last sign-in, and what was done
/// to their account (the audit entries about them). Administrators act here: deactivate,
/// reactivate, unlock, send a password reset, reset a lost authenticator, change the role or
/// organisation; never on themselves. Support sees the page without its actions.
/// </summary>
public sealed class PersonModel(
    PortalDbContext db,
    UserManager<PortalUser> users,
    UserAccounts accounts,
    PeopleDirectory directory) : PageModel
{
    public const int AuditShown = 100;

    public PersonRow Person { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool IsMe { get; private set; }

    public bool CanAct => User.IsInRole(Roles.Administrator) && !IsMe;

    [BindProperty]
    public RoleInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    public IReadOnlyList<string> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Input = new RoleInput { Role = Person.Role, Organisation = Person.Organisation, AdministersOrganisation = Person.Administers };
        return Page();
    }

    /// <summary>One of the <see cref="PersonActions.ForAdministrators"/>; Administrators only.</summary>
    public async Task<IActionResult> OnPostActAsync(string id, string act)
    {
        if (!User.IsInRole(Roles.Administrator))
        {
            return Forbid();
        }

        var person = await users.FindByIdAsync(id);
        if (person is null || !PersonActions.ForAdministrators.Contains(act))
        {
            return NotFound();
        }

        (StatusMessage, StatusIsError) = await PersonActions.RunAsync(accounts, act, person, (await users.GetUserAsync(User))!);
        return RedirectToPage(new { id });
    }

    /// <summary>Another role, or another organisation; Administrators only.</summary>
    public async Task<IActionResult> OnPostRoleAsync(string id)
    {
        if (!User.IsInRole(Roles.Administrator))
        {
            return Forbid();
        }

        var person = await users.FindByIdAsync(id);
        if (person is null)
        {
            return NotFound();
        }

        var role = Roles.All.FirstOrDefault(r => r == Input.Role);
        var organisation = (Input.Organisation ?? "").Trim();
        AccountFields.CheckRoleAndOrganisation(ModelState, role, organisation, Input.AdministersOrganisation);
        if (ModelState.ErrorCount == 0)
        {
            var result = await accounts.ChangeRoleAsync(person, role!, organisation, Input.AdministersOrganisation, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
            if (result.Succeeded)
            {
                StatusMessage = Texts.Format("People.RoleChanged", person.Email);
                return RedirectToPage(new { id });
            }

            ModelState.AddModelError("Input.Role", Texts.Format(result.ProblemKey!, result.Values));
        }

        await LoadAsync(id);
        return Page();
    }

    private async Task<bool> LoadAsync(string id)
    {
        if (await directory.PersonAsync(id, organisationId: null, HttpContext.RequestAborted) is not { } person)
        {
            return false;
        }

        Person = person;
        IsMe = person.Id == users.GetUserId(User);
        History = await db.AuditEntries.AsNoTracking().Where(e => e.SubjectUserId == id)
            .OrderByDescending(e => e.Id).Take(AuditShown).ToListAsync(HttpContext.RequestAborted);
        if (CanAct)
        {
            Organisations = await directory.OrganisationNamesAsync(HttpContext.RequestAborted);
        }

        return true;
    }

    public sealed class RoleInput
    {
        [Display(Name = "Field.Role")]
        public string? Role { get; set; }

        [Display(Name = "Field.Organisation")]
        public string? Organisation { get; set; }

        [Display(Name = "Field.AdministersOrganisation")]
        public bool AdministersOrganisation { get; set; }
    }
}
