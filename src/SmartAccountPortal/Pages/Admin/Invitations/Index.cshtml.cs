using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Admin.Invitations;

/// <summary>
/// Administrators invite people by e-mail (a role; for a partner an organisation, created when
/// new, and whether they administer it; the e-mail's language), and see the invitations not yet
/// followed, with who invited and until when, to send again or withdraw.
/// </summary>
public sealed class IndexModel(
    UserManager<PortalUser> users,
    Users.Invitations invitations,
    Users.PeopleDirectory directory,
    Microsoft.Extensions.Options.IOptions<Infrastructure.AccountsOptions> accounts) : PageModel
{
    public static readonly IReadOnlyList<string> InvitableRoles = [Roles.Partner, Roles.Support, Roles.Administrator];

    public IReadOnlyList<Users.InvitedRow> Waiting { get; private set; } = [];

    /// <summary>How many days an invitation's link works (Accounts:InvitationExpiresAfter).</summary>
    public int ExpiresAfterDays => (int)Math.Round(accounts.Value.InvitationExpiresAfter.TotalDays);

    public IReadOnlyList<string> Organisations { get; private set; } = [];

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public bool StatusIsError { get; private set; }

    public async Task OnGetAsync()
    {
        Input.Language = Texts.CurrentLanguage;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = (Input.Email ?? "").Trim();
        var role = InvitableRoles.FirstOrDefault(r => r == Input.Role);
        var organisation = (Input.Organisation ?? "").Trim();
        AccountFields.CheckEmail(ModelState, "Input.Email", email);

        AccountFields.CheckRoleAndOrganisation(ModelState, role, organisation, Input.AdministersOrganisation);
        AccountFields.CheckLanguage(ModelState, "Input.Language", Input.Language);

        if (ModelState.ErrorCount == 0)
        {
            var inviter = (await users.GetUserAsync(User))!;
            var result = await invitations.InviteAsync(inviter, email, role!, organisation, Input.AdministersOrganisation, Input.Language!, HttpContext.RequestAborted);
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

    public async Task<IActionResult> OnPostResendAsync(int id)
    {
        var resent = await invitations.ResendAsync(id, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
        StatusMessage = Users.Invitations.Told(resent, "Admin.Invitations.Resent");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id)
    {
        var revoked = await invitations.RevokeAsync(id, (await users.GetUserAsync(User))!, HttpContext.RequestAborted);
        StatusMessage = Users.Invitations.Told(revoked, "Admin.Invitations.Revoked");
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Waiting = await directory.InvitedAsync(null, null, HttpContext.RequestAborted);
        Organisations = await directory.OrganisationNamesAsync(HttpContext.RequestAborted);
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.Email")]
        public string? Email { get; set; }

        [Display(Name = "Field.Role")]
        public string? Role { get; set; } = Roles.Partner;

        [Display(Name = "Field.Organisation")]
        public string? Organisation { get; set; }

        [Display(Name = "Field.AdministersOrganisation")]
        public bool AdministersOrganisation { get; set; }

        [Display(Name = "Field.InvitationLanguage")]
        public string? Language { get; set; }
    }
}
