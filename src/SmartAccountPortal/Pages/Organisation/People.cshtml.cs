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
/// sign-in), deactivating and reactivating them, inviting colleagues, and the invitations not yet
/// followed. Everything is scoped to the signed-in person's organisation: a person or an
/// invitation of another organisation answers 404, exactly like one that does not exist.
/// </summary>
public sealed class PeopleModel(
    PortalDbContext db,
    UserManager<PortalUser> users,
    UserAccounts accounts,
    Invitations invitations,
    TimeProvider clock) : PageModel
{
    public sealed record Person(string Id, string Email, bool Administers, AccountState State, bool TwoFactor, DateTime? LastSignInAt, bool IsMe);

    public sealed record Waiting(int Id, string Email, bool Administers, string InvitedBy, DateTime ExpiresAt, bool Expired);

    public string OrganisationName { get; private set; } = "";

    public IReadOnlyList<Person> People { get; private set; } = [];

    public IReadOnlyList<Waiting> Invitations { get; private set; } = [];

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

        if (!Texts.Languages.Contains(Input.Language ?? "", StringComparer.Ordinal))
        {
            ModelState.AddModelError("Input.Language", Texts.Get("Admin.Invite.ChooseLanguage"));
        }

        if (ModelState.ErrorCount == 0)
        {
            var inviter = (await users.GetUserAsync(User))!;
            var name = await db.Organisations.Where(o => o.Id == Organisation).Select(o => o.Name).SingleAsync(HttpContext.RequestAborted);
            var result = await invitations.InviteAsync(inviter, email, Roles.Partner, name, Input.AdministersOrganisation, Input.Language!, HttpContext.RequestAborted);
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

    public Task<IActionResult> OnPostDeactivateAsync(string id) => ChangePersonAsync(id, deactivate: true);

    public Task<IActionResult> OnPostReactivateAsync(string id) => ChangePersonAsync(id, deactivate: false);

    public async Task<IActionResult> OnPostResendAsync(int id)
    {
        if (!await IsOursAsync(id))
        {
            return NotFound();
        }

        var resent = await invitations.ResendAsync(id, HttpContext.RequestAborted);
        StatusMessage = resent is null ? Texts.Get("Admin.Invitations.Gone") : Texts.Format("Admin.Invitations.Resent", resent.Email);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id)
    {
        if (!await IsOursAsync(id))
        {
            return NotFound();
        }

        var revoked = await invitations.RevokeAsync(id, HttpContext.RequestAborted);
        StatusMessage = revoked is null ? Texts.Get("Admin.Invitations.Gone") : Texts.Format("Admin.Invitations.Revoked", revoked.Email);
        return RedirectToPage();
    }

    private Task<bool> IsOursAsync(int invitationId) =>
        db.Invitations.AnyAsync(i => i.Id == invitationId && i.OrganisationId == Organisation, HttpContext.RequestAborted);

    private async Task<IActionResult> ChangePersonAsync(string id, bool deactivate)
    {
        var person = await db.Users.AsNoTracking().Where(u => u.Id == id && u.OrganisationId == Organisation)
            .Select(u => new { u.Id, u.Email }).SingleOrDefaultAsync(HttpContext.RequestAborted);
        if (person is null)
        {
            return NotFound();
        }

        if (person.Id == users.GetUserId(User))
        {
            (StatusMessage, StatusIsError) = (Texts.Get("People.NotYourself"), true);
            return RedirectToPage();
        }

        var result = deactivate ? await accounts.DeactivateAsync(person.Email!) : await accounts.ReactivateAsync(person.Email!);
        (StatusMessage, StatusIsError) = result.Succeeded
            ? (Texts.Format(deactivate ? "People.Deactivated" : "People.Reactivated", person.Email!), false)
            : (string.Join(" ", result.Errors.Select(e => e.Description)), true);
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var now = clock.GetUtcNow();
        var me = users.GetUserId(User);
        OrganisationName = await db.Organisations.Where(o => o.Id == Organisation).Select(o => o.Name).SingleAsync(HttpContext.RequestAborted);
        People = (await db.Users.AsNoTracking()
            .Where(u => u.OrganisationId == Organisation)
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.AdministersOrganisation, u.DeactivatedAt, u.LockoutEnd, u.TwoFactorEnabled, u.LastSignInAt })
            .ToListAsync(HttpContext.RequestAborted))
            .Select(u => new Person(u.Id, u.Email ?? "", u.AdministersOrganisation, UserAccounts.StateOf(u.DeactivatedAt, u.LockoutEnd, now), u.TwoFactorEnabled, u.LastSignInAt, u.Id == me))
            .ToList();
        var utcNow = now.UtcDateTime;
        Invitations = await db.Invitations.AsNoTracking()
            .Where(i => i.OrganisationId == Organisation && i.AcceptedAt == null && i.RevokedAt == null)
            .OrderByDescending(i => i.Id)
            .Select(i => new Waiting(i.Id, i.Email, i.AdministersOrganisation, i.InvitedByEmail, i.ExpiresAt, i.ExpiresAt <= utcNow))
            .ToListAsync(HttpContext.RequestAborted);
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
