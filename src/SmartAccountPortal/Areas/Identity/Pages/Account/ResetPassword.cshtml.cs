using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// The page behind the reset link. A code that is not one the portal could have sent gets a
/// clear page, not an error; a wrong address or a used or expired code gets one message that
/// does not tell whether the address has an account.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class ResetPasswordModel(UserManager<PortalUser> users, IOptions<IdentityOptions> identity) : PageModel
{
    public const string InvalidLinkKey = "Account.Reset.InvalidLink";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool HasCode { get; private set; }

    public int MinimumLength => identity.Value.Password.RequiredLength;

    public void OnGet(string? code = null)
    {
        HasCode = Decode(code) is not null;
        Input = new InputModel { Code = HasCode ? code! : "" };
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var token = Decode(Input.Code);
        HasCode = token is not null;
        if (token is null)
        {
            return Page();
        }

        var email = (Input.Email ?? "").Trim();
        var password = Input.Password ?? "";
        AccountFields.CheckEmail(ModelState, "Input.Email", email);
        AccountFields.CheckNewPassword(ModelState, "Input.Password", "Input.ConfirmPassword", password, Input.ConfirmPassword, MinimumLength);

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        var result = user is null ? IdentityResult.Failed() : await users.ResetPasswordAsync(user, token, password);
        if (result.Succeeded)
        {
            // A reset also ends the lockout that may have led here.
            await users.SetLockoutEndDateAsync(user!, null);
            await users.ResetAccessFailedCountAsync(user!);
            return RedirectToPage("./ResetPasswordConfirmation");
        }

        var passwordErrors = result.Errors.Where(e => e.Code.StartsWith("Password", StringComparison.Ordinal)).ToList();
        foreach (var error in passwordErrors)
        {
            ModelState.AddModelError("Input.Password", error.Description);
        }

        if (passwordErrors.Count == 0)
        {
            ModelState.AddModelError(string.Empty, Texts.Get(InvalidLinkKey));
        }

        return Page();
    }

    /// <summary>The Identity token inside a link's code, or null when the code cannot be one.</summary>
    private static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 2048)
        {
            return null;
        }

        try
        {
            var token = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(WebEncoders.Base64UrlDecode(code));
            return token.Length > 0 && !token.Any(char.IsControl) ? token : null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return null;
        }
    }

    public sealed class InputModel
    {
        public string? Code { get; set; }

        [Display(Name = "Field.Email")]
        public string? Email { get; set; }

        [DataType(DataType.Password)]
        [Display(Name = "Field.NewPassword")]
        public string? Password { get; set; }

        [DataType(DataType.Password)]
        [Display(Name = "Field.NewPasswordAgain")]
        public string? ConfirmPassword { get; set; }
    }
}
