using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>Turns two-factor sign-in off after a confirmation; with it already off, says so instead of failing.</summary>
public sealed class Disable2faModel(
    UserManager<PortalUser> users,
    Users.PortalSignInManager signInManager,
    Microsoft.Extensions.Options.IOptions<Infrastructure.AccountsOptions> accounts) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await signInManager.TwoFactorDemandAsync(user, accounts.Value) is not TwoFactorDemand.None and var demand)
        {
            return KeepIt(demand);
        }

        return await users.GetTwoFactorEnabledAsync(user) ? Page() : AlreadyOff();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await signInManager.TwoFactorDemandAsync(user, accounts.Value) is not TwoFactorDemand.None and var demand)
        {
            return KeepIt(demand);
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return AlreadyOff();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await signInManager.RefreshSignInAsync(user);
        StatusMessage = Texts.Get("Account.Disable2fa.Done");
        return RedirectToPage("./TwoFactorAuthentication");
    }

    private RedirectToPageResult KeepIt(TwoFactorDemand demand)
    {
        StatusMessage = Texts.Get(demand == TwoFactorDemand.Staff ? "Account.Disable2fa.StaffKeep" : "Account.Disable2fa.OrganisationKeep");
        return RedirectToPage("./TwoFactorAuthentication");
    }

    private RedirectToPageResult AlreadyOff()
    {
        StatusMessage = Texts.Get("Account.Disable2fa.AlreadyOff");
        return RedirectToPage("./TwoFactorAuthentication");
    }
}
