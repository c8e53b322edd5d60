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

namespace SmartAccountPortal.Pages.Organisation;

/// <summary>
/// An organisation administrator's page: their organisation's people (state, two-factor, last
/// sign-in), deactivating, reactivating and unlocking them or sending them a password reset,
/// inviting colleagues, the invitations not yet followed, and whether two-factor sign-in is
/// required of them all. Everything is scoped to the signed-in person's organisation: a person or an
/// invitation of another organisation answers 404, exactly like one that does not exist.
/// </summary>
public sealed class PeopleModel(
    PortalDbContext db,
    UserManager<PortalUser> users,
    UserAccounts accounts,
    Invitations invitations,
    PeopleDirectory directory) : PageModel
{
    public string OrganisationName { get; private set; } = "";

    /// <summary>Whether the organisation's partners must sign in with an authenticator app.</summary>
    public bool RequiresTwoFactor { get; private set; }

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>Any part of an address; with <see cref="State"/>, what the list shows.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>One of <see cref="PeopleDirectory.States"/> but "invited" (the invitations have their own list); anything else shows everyone.</summary>
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    /// <summary>The signed-in administrator, who acts on everyone but themselves.</summary>
    public string? MyId => users.GetUserId(User);

    public IReadOnlyList<InvitedRow> Invitations { get; private set; } = [];

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    private int Organisation => User.GetOrganisationId()!.Value;

    public async Task OnGetAsync()
    {
        Input.Language = Texts.CurrentLanguage;
        await LoadAsync();
    }

    /// <summary>Invites a colleague into this organisation.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var email = (Input.Email ?? "").Trim();
        AccountFields.CheckEmail(ModelState, "Input.Email", email);

        AccountFields.CheckLanguage(ModelState, "Input.Language", Input.Language);

        if (ModelState.ErrorCount == 0)
        {
            var inviter = (await users.GetUserAsync(User))!;
            var result = await invitations.InviteAsync(inviter, email, Roles.Partner, null, Input.AdministersOrganisation, Input.Language!, HttpContext.RequestAborted);
            if (result.Sent is { } sent)
            {
                StatusMessage = Texts.Format("Admin.Invite.Sent", sent.Email);
                return RedirectToPage();
            }

            ModelState.AddModelError("Input." + result.Field, Texts.Get(result.ProblemKey!));
        }

        await LoadAsync();
        return Page();
    }

    /// <summary>Deactivate, reactivate, unlock or send a password reset (<see cref="PersonActions"/>) to a person of this organisation.</summary>
    public async Task<IActionResult> OnPostActAsync(string id, string act)
    {
        var person = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.OrganisationId == Organisation, HttpContext.RequestAborted);
        if (person is null || !PersonActions.ForOrganisationAdministrators.Contains(act))
        {
            return NotFound();
        }

        (StatusMessage, StatusIsError) = await PersonActions.RunAsync(accounts, act, person, (await users.GetUserAsync(User))!);
        return RedirectToPage();
    }

    /// <summary>Whether this organisation's partners must sign in with an authenticator app.</summary>
    public async Task<IActionResult> OnPostTwoFactorAsync(bool required)
    {
        await accounts.RequireTwoFactorAsync(Organisation, required, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
        StatusMessage = Texts.Get(required ? "People.TwoFactorRequired" : "People.TwoFactorOptional");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostResendAsync(int id)
    {
        if (!await IsOursAsync(id))
        {
            return NotFound();
        }

        var resent = await invitations.ResendAsync(id, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
        StatusMessage = Users.Invitations.Told(resent, "Admin.Invitations.Resent");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id)
    {
        if (!await IsOursAsync(id))
        {
            return NotFound();
        }

        var revoked = await invitations.RevokeAsync(id, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
        StatusMessage = Users.Invitations.Told(revoked, "Admin.Invitations.Revoked");
        return RedirectToPage();
    }

    private Task<bool> IsOursAsync(int invitationId) =>
        db.Invitations.AnyAsync(i => i.Id == invitationId && i.OrganisationId == Organisation, HttpContext.RequestAborted);

    private async Task LoadAsync()
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == Organisation, HttpContext.RequestAborted);
        (OrganisationName, RequiresTwoFactor) = (organisation.Name, organisation.RequiresTwoFactor);
        var state = PeopleDirectory.States.Contains(State ?? "") && State != PeopleDirectory.Invited ? State : null;
        (People, Paging) = await directory.PeopleAsync(Q, state, Organisation, PageNumber, HttpContext.RequestAborted);
        Invitations = await directory.InvitedAsync(null, Organisation, HttpContext.RequestAborted);
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.Email")]
        public string? Email { get; set; }

        [Display(Name = "Field.AdministersOrganisation")]
        public bool AdministersOrganisation { get; set; }

        [Display(Name = "Field.InvitationLanguage")]
        public string? Language { get; set; }
    }
}
