using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Users;

/// <summary>Creates portal accounts; used by the `users add` command and the Development seed.</summary>
public sealed class UserAccounts(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, PortalDbContext db)
{
    public async Task EnsureRolesAsync()
    {
        // One query at start-up; the role manager only when a role is missing (a new database).
        var existing = await db.Roles.Select(r => r.Name).ToListAsync();
        foreach (var role in Roles.All.Where(r => !existing.Contains(r)))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
    }

    /// <summary>
    /// Creates a confirmed account in <paramref name="role"/>. A partner needs an organisation
    /// (created when new); support staff have none.
    /// </summary>
    public async Task<IdentityResult> CreateAsync(string email, string password, string role, string? organisation)
    {
        if (!Roles.All.Contains(role))
        {
            return Failed($"Role must be {string.Join(" or ", Roles.All)}.");
        }

        if (role == Roles.Partner && string.IsNullOrWhiteSpace(organisation))
        {
            return Failed("A partner needs an organisation (--organisation).");
        }

        if (role == Roles.Support && !string.IsNullOrWhiteSpace(organisation))
        {
            return Failed("Support staff do not belong to an organisation.");
        }

        await EnsureRolesAsync();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true };
        if (role == Roles.Partner)
        {
            var name = organisation!.Trim();
            user.Organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Name == name) ?? new Organisation(name);
        }

        var created = await users.CreateAsync(user, password);
        return created.Succeeded ? await users.AddToRoleAsync(user, role) : created;
    }

    private static IdentityResult Failed(string message) => IdentityResult.Failed(new IdentityError { Description = message });
}
