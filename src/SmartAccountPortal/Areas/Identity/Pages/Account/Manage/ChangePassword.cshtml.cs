using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>A signed-in person changes their password; the rule shown is the one the server applies.</summary>
public sealed class ChangePasswordModel(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signInManager,
    IOptions<IdentityOptions> identity) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public int MinimumLength => identity.Value.Password.RequiredLength;

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

        var newPassword = Input.NewPassword ?? "";
        if (string.IsNullOrEmpty(Input.OldPassword))
        {
            ModelState.AddModelError("Input.OldPassword", Texts.Get("Account.EnterCurrentPassword"));
        }

        if (newPassword.Length < MinimumLength)
        {
            ModelState.AddModelError("Input.NewPassword", Texts.Format("Account.PasswordTooShort", MinimumLength));
        }
        else if (newPassword != Input.ConfirmPassword)
        {
            ModelState.AddModelError("Input.ConfirmPassword", Texts.Get("Account.PasswordsDiffer"));
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, Input.OldPassword!, newPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Input.OldPassword" : "Input.NewPassword";
                ModelState.AddModelError(field, error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? Texts.Get("Account.CurrentPasswordWrong") : Texts.Get("Account.PasswordRefused"));
            }

            return Page();
        }

        await signInManager.RefreshSignInAsync(user);
        StatusMessage = "Account.ChangePassword.Done";
        return RedirectToPage();
    }

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        [Display(Name = "Field.CurrentPassword")]
        public string? OldPassword { get; set; }

        [DataType(DataType.Password)]
        [Display(Name = "Field.NewPassword")]
        public string? NewPassword { get; set; }

        [DataType(DataType.Password)]
        [Display(Name = "Field.NewPasswordAgain")]
        public string? ConfirmPassword { get; set; }
    }
}
