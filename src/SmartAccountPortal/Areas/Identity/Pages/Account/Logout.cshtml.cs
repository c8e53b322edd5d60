using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// Signing out is a POST (a link or an image cannot sign anyone out); the GET asks first. The
/// return address is kept to this site (<see cref="ReturnUrls"/>).
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<PortalUser> signInManager) : PageModel
{
    public bool SignedIn { get; private set; }

    public void OnGet() => SignedIn = signInManager.IsSignedIn(User);

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        await signInManager.SignOutAsync();
        var target = ReturnUrls.Safe(returnUrl);
        return target == "/" ? RedirectToPage() : LocalRedirect(target);
    }
}
