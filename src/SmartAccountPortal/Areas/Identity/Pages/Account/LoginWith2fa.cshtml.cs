using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// The second step of signing in, for accounts with an authenticator app. Reached only from the
/// password step; opened any other way, it sends the visitor to sign in.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class LoginWith2faModel(Users.PortalSignInManager signInManager, ILogger<LoginWith2faModel> logger) : PageModel
{
    public const string WrongCodeKey = "Account.TwoFactor.WrongCode";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public bool RememberMe { get; set; }

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(bool rememberMe = false, string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        RememberMe = rememberMe;
        return await TwoFactorStep.RequirePasswordStepAsync(this, signInManager, ReturnUrl) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        if (await TwoFactorStep.RequirePasswordStepAsync(this, signInManager, ReturnUrl) is { } notYet)
        {
            return notYet;
        }

        var code = new string((Input.Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6)
        {
            ModelState.AddModelError("Input.Code", Texts.Get("Account.TwoFactor.EnterDigits"));
            return Page();
        }

        // Who it is, read before the step's cookie is spent by the sign-in.
        var user = (await signInManager.GetTwoFactorAuthenticationUserAsync())!;
        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(code, RememberMe, Input.RememberMachine);
        return await TwoFactorStep.OutcomeAsync(this, signInManager, user, result, ReturnUrl, Texts.Get(WrongCodeKey), logger);
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.AuthenticatorCode")]
        public string? Code { get; set; }

        [Display(Name = "Field.RememberMachine")]
        public bool RememberMachine { get; set; }
    }
}
