using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// What the two second-step pages (authenticator code, recovery code) share: they exist only
/// after the password step, and a code's result leads on the same way.
/// </summary>
internal static class TwoFactorStep
{
    /// <summary>Null when the password step was done; otherwise where to send the visitor (sign in again).</summary>
    public static async Task<IActionResult?> RequirePasswordStepAsync(PageModel page, SignInManager<PortalUser> signInManager, string returnUrl) =>
        await signInManager.GetTwoFactorAuthenticationUserAsync() is null
            ? page.RedirectToPage("./Login", new { ReturnUrl = returnUrl })
            : null;

    /// <summary>
    /// Signed in (recorded as the person's last sign-in), paused (lockout), or the form again
    /// with <paramref name="wrongCode"/>.
    /// </summary>
    public static async Task<IActionResult> OutcomeAsync(
        PageModel page, Users.PortalSignInManager signInManager, PortalUser user, Microsoft.AspNetCore.Identity.SignInResult result, string returnUrl, string wrongCode, ILogger logger)
    {
        if (result.Succeeded)
        {
            Log.SignedIn(logger);
            await signInManager.RecordSignInAsync(user);
            return page.LocalRedirect(returnUrl);
        }

        if (result.IsLockedOut)
        {
            Log.LockedOut(logger);
            return page.RedirectToPage("./Lockout");
        }

        page.ModelState.AddModelError(string.Empty, wrongCode);
        return page.Page();
    }
}
