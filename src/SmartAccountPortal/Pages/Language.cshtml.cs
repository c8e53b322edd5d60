using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Pages;

/// <summary>
/// The language switcher's target: remembers the choice in a cookie and, for a signed-in person,
/// in their account (so it follows them to other devices), then goes back to the page they
/// were on. The page itself lists the languages, for anyone who lands on it directly.
/// </summary>
[AllowAnonymous]
public sealed class LanguageModel(
    IOptions<LanguageOptions> languages,
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signInManager,
    IHostEnvironment environment) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl)
    {
        var chosen = languages.Value.Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));
        if (chosen is null)
        {
            return BadRequest();
        }

        Response.RememberLanguage(chosen, environment);
        if (signInManager.IsSignedIn(User) && await users.GetUserAsync(User) is { } user && user.PreferredLanguage != chosen)
        {
            user.PreferredLanguage = chosen;
            await users.UpdateAsync(user);
            await signInManager.RefreshSignInAsync(user);
        }

        return LocalRedirect(ReturnUrls.Safe(returnUrl));
    }
}
