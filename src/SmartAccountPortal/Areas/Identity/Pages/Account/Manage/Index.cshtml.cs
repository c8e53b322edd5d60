using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// A person's own profile: who they are in the portal (set by an administrator), and the time
/// zone they read dates in, which they choose here.
/// </summary>
public sealed class IndexModel(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signInManager,
    IOptions<PortalOptions> portal,
    TimeProvider clock) : PageModel
{
    public string Email { get; private set; } = "";

    public string? Organisation { get; private set; }

    public string Role { get; private set; } = "";

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public string DefaultTimeZone => portal.Value.DefaultTimeZone;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        Input = new InputModel { TimeZone = user.TimeZone };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await LoadAsync();
        if (user is null)
        {
            return Challenge();
        }

        var zone = string.IsNullOrEmpty(Input.TimeZone) ? null : ReaderTimeZone.Find(Input.TimeZone);
        if (!string.IsNullOrEmpty(Input.TimeZone) && zone is null)
        {
            ModelState.AddModelError("Input.TimeZone", Texts.Get("Manage.TimeZoneInvalid"));
            return Page();
        }

        user.TimeZone = zone?.Id;
        await users.UpdateAsync(user);
        await signInManager.RefreshSignInAsync(user);
        StatusMessage = Texts.Get("Manage.Saved");
        return RedirectToPage();
    }

    private async Task<PortalUser?> LoadAsync()
    {
        var user = await users.Users.Include(u => u.Organisation).SingleOrDefaultAsync(u => u.Id == users.GetUserId(User));
        if (user is not null)
        {
            Email = user.Email ?? "";
            Organisation = user.Organisation?.Name;
            Role = string.Join(", ", (await users.GetRolesAsync(user)).Select(r => Texts.Get("Role." + r)));
        }

        return user;
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.TimeZone")]
        public string? TimeZone { get; set; }
    }
}
