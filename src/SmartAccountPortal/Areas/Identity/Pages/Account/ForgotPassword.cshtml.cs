using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// Sends a reset link built from Portal:PublicBaseUrl (never from the Host header, which a
/// client controls), and answers the same whether or not the address has an account.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class ForgotPasswordModel(
    UserManager<PortalUser> users,
    IEmailSender emailSender,
    IOptions<PortalOptions> portal,
    ILogger<ForgotPasswordModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email);
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
            var link = new Uri(portal.Value.PublicBaseUrl!, "/Identity/Account/ResetPassword?code=" + Uri.EscapeDataString(code));
            try
            {
                await emailSender.SendEmailAsync(
                    Input.Email,
                    "Choose a new password for the Smart Account Portal",
                    $"<p>Someone asked to reset the password of this account. If it was you, " +
                    $"<a href=\"{HtmlEncoder.Default.Encode(link.AbsoluteUri)}\">choose a new password</a>.</p>" +
                    "<p>If it was not you, ignore this message: your password stays as it is.</p>");
            }
            catch (Exception exception) when (exception is System.Net.Mail.SmtpException or IOException)
            {
                // The answer must not differ for known addresses, so a mail fault is logged, not shown.
                Log.PasswordResetNotSent(logger, exception);
            }
        }

        return RedirectToPage("./ForgotPasswordConfirmation");
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter an e-mail address such as name@example.com.")]
        [Display(Name = "E-mail")]
        public string Email { get; set; } = "";
    }
}
