using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>Unlinks the authenticator app (a lost phone): two-factor sign-in goes off until a new app is linked.</summary>
public sealed class ResetAuthenticatorModel(UserManager<PortalUser> users, SignInManager<PortalUser> signInManager) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signInManager.RefreshSignInAsync(user);
        StatusMessage = Texts.Get("Manage.ResetApp.Done");
        return RedirectToPage("./EnableAuthenticator");
    }
}
