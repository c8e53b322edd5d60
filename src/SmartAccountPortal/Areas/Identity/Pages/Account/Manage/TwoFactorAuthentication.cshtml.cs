using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>Whether two-factor sign-in is on, how many recovery codes are left, and the ways to change it.</summary>
public sealed class TwoFactorAuthenticationModel(
    UserManager<PortalUser> users,
    Users.PortalSignInManager signInManager,
    Microsoft.Extensions.Options.IOptions<Infrastructure.AccountsOptions> accounts) : PageModel
{
    public bool IsEnabled { get; private set; }

    /// <summary>Staff keep two-factor sign-in on: the page offers no way to turn it off.</summary>
    public bool MustKeepIt { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public bool IsMachineRemembered { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        IsEnabled = await users.GetTwoFactorEnabledAsync(user);
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        IsMachineRemembered = await signInManager.IsTwoFactorClientRememberedAsync(user);
        MustKeepIt = await signInManager.MustUseTwoFactorAsync(user, accounts.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostForgetAsync()
    {
        if (await users.GetUserAsync(User) is null)
        {
            return Challenge();
        }

        await signInManager.ForgetTwoFactorClientAsync();
        StatusMessage = Texts.Get("Manage.DeviceForgotten");
        return RedirectToPage();
    }
}
