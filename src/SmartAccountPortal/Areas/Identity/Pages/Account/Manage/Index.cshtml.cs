using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Areas.Identity.Pages.Account.Manage;

/// <summary>A person's own profile: who they are in the portal. Addresses and roles are changed by an administrator.</summary>
public sealed class IndexModel(UserManager<PortalUser> users) : PageModel
{
    public string Email { get; private set; } = "";

    public string? Organisation { get; private set; }

    public string Role { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.Users.Include(u => u.Organisation).SingleOrDefaultAsync(u => u.Id == users.GetUserId(User));
        if (user is null)
        {
            return Challenge();
        }

        Email = user.Email ?? "";
        Organisation = user.Organisation?.Name;
        var roles = await users.GetRolesAsync(user);
        Role = string.Join(", ", roles.Select(r => Texts.Get("Role." + r)));
        return Page();
    }
}
