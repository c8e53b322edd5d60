using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Links an authenticator app: the key to type (or the otpauth link to open), then one code from
/// the app proves it works and turns two-factor sign-in on. The first time, recovery codes follow.
/// </summary>
public sealed class EnableAuthenticatorModel(
    UserManager<PortalUser> users,
    Users.PortalSignInManager signInManager,
    Microsoft.Extensions.Options.IOptions<Infrastructure.AccountsOptions> accounts) : PageModel
{
    public const string Issuer = "Smart Account Portal";

    public string SharedKey { get; private set; } = "";

    /// <summary>Staff who must set it up before any staff page opens (Accounts:RequireTwoFactorForStaff).</summary>
    public TwoFactorDemand RequiredBy { get; private set; }

    public string AuthenticatorUri { get; private set; } = "";

    [BindProperty]
    public InputModel Input { get; set; } = new();

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

        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var code = new string((Input.Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError("Input.Code", Texts.Get("Account.TwoFactor.WrongCode"));
            await LoadKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);

        // A new security stamp, and the session now carries two-factor: a fresh cookie.
        await signInManager.RefreshSignInAsync(user);
        StatusMessage = Texts.Get("Manage.Enable.Done");
        if (await users.CountRecoveryCodesAsync(user) == 0)
        {
            RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, GenerateRecoveryCodesModel.CodeCount))?.ToArray();
            return RedirectToPage("./ShowRecoveryCodes");
        }

        return RedirectToPage("./TwoFactorAuthentication");
    }

    private async Task LoadKeyAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);

            // A new key is a new security stamp: the session keeps up with it.
            await signInManager.RefreshSignInAsync(user);
        }

        RequiredBy = user.TwoFactorEnabled ? TwoFactorDemand.None : await signInManager.TwoFactorDemandAsync(user, accounts.Value);

        SharedKey = Grouped(key!);
        AuthenticatorUri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
    }

    /// <summary>The key in groups of four, lower case, as people type it.</summary>
    private static string Grouped(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return grouped.ToString().TrimEnd().ToLowerInvariant();
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.AuthenticatorCode")]
        public string? Code { get; set; }
    }
}
