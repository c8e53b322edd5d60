using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// Sends a reset link built from Portal:PublicBaseUrl (never from the Host header, which a
/// client controls; see UserAccounts.SendPasswordResetAsync), and answers the same whether or not the address has an account.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class ForgotPasswordModel(
    UserManager<PortalUser> users,
    Users.UserAccounts accounts) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public async Task<IActionResult> OnPostAsync()
    {
        var email = (Input.Email ?? "").Trim();
        if (email.Length > 0 && !InputRules.IsEmail(email))
        {
            ModelState.AddModelError("Input.Email", Texts.Get("Account.EmailFormat"));
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            // Into the outbox: the background service sends it, so a mail fault neither loses it
            // nor makes this answer differ for known addresses.
            await accounts.SendPasswordResetAsync(user, by: null, Texts.CurrentLanguage);
        }

        return RedirectToPage("./ForgotPasswordConfirmation");
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Account.EnterEmail")]
        [Display(Name = "Field.Email")]
        public string? Email { get; set; }
    }
}
