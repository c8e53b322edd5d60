using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>The second step of signing in with a recovery code instead of the app; only after the password step.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class LoginWithRecoveryCodeModel(Users.PortalSignInManager signInManager, ILogger<LoginWithRecoveryCodeModel> logger) : PageModel
{
    public const string WrongCodeKey = "Account.Recovery.WrongCode";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        return await TwoFactorStep.RequirePasswordStepAsync(this, signInManager, ReturnUrl) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        if (await TwoFactorStep.RequirePasswordStepAsync(this, signInManager, ReturnUrl) is { } notYet)
        {
            return notYet;
        }

        var code = new string((Input.RecoveryCode ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (code.Length is 0 or > 32)
        {
            ModelState.AddModelError("Input.RecoveryCode", Texts.Get("Account.Recovery.EnterCode"));
            return Page();
        }

        // Who it is, read before the step's cookie is spent by the sign-in.
        var user = (await signInManager.GetTwoFactorAuthenticationUserAsync())!;
        var result = await signInManager.TwoFactorRecoveryCodeSignInAsync(code);
        return await TwoFactorStep.OutcomeAsync(this, signInManager, user, result, ReturnUrl, Texts.Get(WrongCodeKey), logger);
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.RecoveryCode")]
        public string? RecoveryCode { get; set; }
    }
}
