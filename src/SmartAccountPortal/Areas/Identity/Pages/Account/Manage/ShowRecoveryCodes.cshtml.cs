using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>New recovery codes, shown once, straight after they were made; opened any other way, it goes back.</summary>
public sealed class ShowRecoveryCodesModel : PageModel
{
    [TempData]
    public string[]? RecoveryCodes { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public IActionResult OnGet() => RecoveryCodes is { Length: > 0 } ? Page() : RedirectToPage("./TwoFactorAuthentication");
}
