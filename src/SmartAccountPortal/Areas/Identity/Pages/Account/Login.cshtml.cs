using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// Sign-in with lockout after repeated failures and a rate limit per client address. Nothing in
/// the answer tells whether an address has an account: one message for every failure, the same
/// lockout after the same number of tries, and about the same time, since a password hash is
/// verified for unknown addresses too (<see cref="UnknownSignIns"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class LoginModel(
    PortalSignInManager signInManager,
    UnknownSignIns unknown,
    Microsoft.Extensions.Options.IOptions<LanguageOptions> languages,
    Microsoft.Extensions.Options.IOptions<AccountsOptions> accounts,
    ILogger<LoginModel> logger) : PageModel
{
    public const string FailedKey = "Account.SignIn.Failed";

    public const string DeactivatedKey = "Account.SignIn.Deactivated";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public async Task OnGetAsync(string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        // A clean start: no half-finished external or two-factor sign-in lingers.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        await HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var wellFormed = InputRules.IsEmail(email);
        var user = wellFormed ? await signInManager.UserManager.FindByEmailAsync(email) : null;
        if (user is null)
        {
            return await UnknownAddressAsync(email, wellFormed);
        }

        var result = await signInManager.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            Log.SignedIn(logger);
            await RememberLanguageAsync(user);
            await signInManager.RecordSignInAsync(user);

            // Staff without an authenticator app set it up first: no staff page opens before.
            return await signInManager.MustSetUpTwoFactorAsync(user, accounts.Value)
                ? LocalRedirect(Users.TwoFactorRedirect.SetUpPath)
                : LocalRedirect(ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        }

        if (result.IsNotAllowed && user.DeactivatedAt is not null && await signInManager.UserManager.CheckPasswordAsync(user, Input.Password))
        {
            // Said only to someone who knows the password; anyone else gets the usual answer.
            ModelState.AddModelError(string.Empty, Texts.Get(DeactivatedKey));
            return Page();
        }

        return result.IsLockedOut ? LockedOut() : Failed();
    }

    /// <summary>
    /// Someone who has never chosen a language keeps the one they signed in with (the switcher's,
    /// or their browser's): e-mails to them are then written in it too.
    /// </summary>
    private async Task RememberLanguageAsync(PortalUser user)
    {
        var current = System.Globalization.CultureInfo.CurrentUICulture.Name;
        if (user.PreferredLanguage is null && languages.Value.Cultures.Contains(current, StringComparer.OrdinalIgnoreCase))
        {
            user.PreferredLanguage = current;
            // Saved only: the session cookie just issued has no language claim, and needs none
            // now, since the language the person signed in with still comes from where it came.
            await signInManager.UserManager.UpdateAsync(user);
        }
    }

    /// <summary>The same steps, time and answers as for an account with a wrong password.</summary>
    private async Task<IActionResult> UnknownAddressAsync(string email, bool wellFormed)
    {
        if (!wellFormed)
        {
            // No account can have this address; nothing is counted, but the time is spent.
            await unknown.FailAsync(email, Input.Password, count: false, HttpContext.RequestAborted);
            return Failed();
        }

        return await unknown.FailAsync(email, Input.Password, count: true, HttpContext.RequestAborted) ? LockedOut() : Failed();
    }

    private RedirectToPageResult LockedOut()
    {
        Log.LockedOut(logger);
        return RedirectToPage("./Lockout");
    }

    private PageResult Failed()
    {
        ModelState.AddModelError(string.Empty, Texts.Get(FailedKey));
        return Page();
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Account.EnterEmail")]
        [Display(Name = "Field.Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Account.EnterPassword")]
        [DataType(DataType.Password)]
        [Display(Name = "Field.Password")]
        public string Password { get; set; } = "";

        [Display(Name = "Field.RememberMe")]
        public bool RememberMe { get; set; }
    }
}
