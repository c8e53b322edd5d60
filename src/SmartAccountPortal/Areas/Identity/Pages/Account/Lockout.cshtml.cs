using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Areas.Identity.Pages.Account;

/// <summary>
/// Where sign-in sends a locked address, known or not: how long the pause lasts (the configured
/// lockout, never the time left on one account, which would tell an account exists) and what to do.
/// </summary>
[AllowAnonymous]
public sealed class LockoutModel(IOptions<IdentityOptions> identity, IOptions<PortalOptions> portal) : PageModel
{
    public string Duration => Display.Duration(identity.Value.Lockout.DefaultLockoutTimeSpan);

    public Uri? SupportCaseUrl => portal.Value.SupportCaseUrl;

    public void OnGet()
    {
    }
}
