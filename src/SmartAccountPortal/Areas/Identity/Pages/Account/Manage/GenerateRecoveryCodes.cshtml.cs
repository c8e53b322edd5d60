using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>New recovery codes, after a confirmation; only for an account with two-factor sign-in on.</summary>
public sealed class GenerateRecoveryCodesModel(UserManager<PortalUser> users) : PageModel
{
    public const int CodeCount = 10;

    [TempData]
    public string[]? RecoveryCodes { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        return await users.GetTwoFactorEnabledAsync(user) ? Page() : NotOn();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return NotOn();
        }

        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, CodeCount))?.ToArray();
        StatusMessage = Texts.Get("Account.NewCodes.Done");
        return RedirectToPage("./ShowRecoveryCodes");
    }

    private RedirectToPageResult NotOn()
    {
        StatusMessage = Texts.Get("Account.NewCodes.NotOn");
        return RedirectToPage("./TwoFactorAuthentication");
    }
}
