using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Users;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Invitation;

/// <summary>
/// The page behind an invitation's link. GET (and HEAD) only show: mail scanners open links and
/// must consume nothing. The POST, with the password the person chose, makes the account, marks
/// the invitation used (under its concurrency token, in the same transaction) and signs them in.
/// A used, withdrawn, expired or unknown link each gets its own page.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Activation)]
[ResponseCache(Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel(
    PortalDbContext db,
    UserManager<PortalUser> users,
    PortalSignInManager signInManager,
    TimeProvider clock,
    IOptions<IdentityOptions> identity,
    IOptions<AccountsOptions> accounts,
    ILogger<IndexModel> logger) : PageModel
{
    public enum View
    {
        Open,
        Accepted,
        Revoked,
        Expired,
        Unknown,
        HasAccount,
    }

    public View Shown { get; private set; }

    public Domain.Invitation? Invited { get; private set; }

    public int MinimumLength => identity.Value.Password.RequiredLength;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string? token)
    {
        Invited = await FindAsync(token);
        Shown = await ViewOfAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        Invited = await FindAsync(token);
        Shown = await ViewOfAsync();
        if (Shown != View.Open || !PasswordsAreValid())
        {
            return Page();
        }

        var invitation = Invited!;
        var now = clock.GetUtcNow().UtcDateTime;
        var user = new PortalUser
        {
            UserName = invitation.Email,
            Email = invitation.Email,
            EmailConfirmed = true,
            OrganisationId = invitation.OrganisationId,
            AdministersOrganisation = invitation.AdministersOrganisation,
            PreferredLanguage = invitation.Language,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(HttpContext.RequestAborted))
        {
            var created = await users.CreateAsync(user, Input.Password!);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : string.Empty, error.Description);
                }

                return Page();
            }

            await users.AddToRoleAsync(user, invitation.Role);
            invitation.Accept(now);
            db.AuditEntries.Add(new AuditEntry(now, user, AuditAction.InvitationAccepted, user.Id, user.Email, invitation.OrganisationId, null));
            try
            {
                await db.SaveChangesAsync(HttpContext.RequestAborted);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Followed twice at once, or withdrawn meanwhile: nothing of this one is kept.
                await transaction.RollbackAsync(CancellationToken.None);
                return await ShowCurrentAsync(token);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        Log.InvitationAccepted(logger, invitation.Id, invitation.Role);
        await signInManager.SignInAsync(user, isPersistent: false);
        await signInManager.RecordSignInAsync(user);
        return await signInManager.MustSetUpTwoFactorAsync(user, accounts.Value)
            ? LocalRedirect(TwoFactorRedirect.SetUpPath)
            : LocalRedirect("/");
    }

    private async Task<IActionResult> ShowCurrentAsync(string? token)
    {
        db.ChangeTracker.Clear();
        Invited = await FindAsync(token);
        Shown = await ViewOfAsync();
        return Page();
    }

    private bool PasswordsAreValid()
    {
        AccountFields.CheckNewPassword(ModelState, "Input.Password", "Input.ConfirmPassword", Input.Password ?? "", Input.ConfirmPassword, MinimumLength);
        return ModelState.ErrorCount == 0;
    }

    private async Task<View> ViewOfAsync()
    {
        if (Invited is null)
        {
            return View.Unknown;
        }

        return Invited.StateAt(clock.GetUtcNow().UtcDateTime) switch
        {
            InvitationState.Accepted => View.Accepted,
            InvitationState.Revoked => View.Revoked,
            InvitationState.Expired => View.Expired,
            _ => await users.FindByEmailAsync(Invited.Email) is null ? View.Open : View.HasAccount,
        };
    }

    /// <summary>The invitation whose link this is; a token that cannot be one is not looked up.</summary>
    private async Task<Domain.Invitation?> FindAsync(string? token)
    {
        if (!ActivationTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = ActivationTokens.Hash(token!);
        return await db.Invitations.Include(i => i.Organisation).SingleOrDefaultAsync(i => i.TokenHash == hash, HttpContext.RequestAborted);
    }

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        [Display(Name = "Field.Password")]
        public string? Password { get; set; }

        [DataType(DataType.Password)]
        [Display(Name = "Field.NewPasswordAgain")]
        public string? ConfirmPassword { get; set; }
    }
}
