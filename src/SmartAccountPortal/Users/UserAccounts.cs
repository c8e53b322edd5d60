using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Users;

/// <summary>Whether an account can sign in: yes, not for now (too many wrong passwords), or not until reactivated.</summary>
public enum AccountState
{
    Active,
    Locked,
    Deactivated,
}

/// <summary>One account as the `users list` command shows it.</summary>
public sealed record AccountSummary(string Email, string Role, string? Organisation, AccountState State, bool TwoFactor, DateTime? LastSignInAt);

/// <summary>Creates and looks after portal accounts; used by the `users` command and the Development seed.</summary>
public sealed class UserAccounts(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, PortalDbContext db, TimeProvider clock)
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
            return Failed($"Role must be {string.Join(", ", Roles.All.SkipLast(1))} or {Roles.All[^1]}.");
        }

        if (role == Roles.Partner && string.IsNullOrWhiteSpace(organisation))
        {
            return Failed("A partner needs an organisation (--organisation).");
        }

        if (Roles.Staff.Contains(role) && !string.IsNullOrWhiteSpace(organisation))
        {
            return Failed("Staff (Support, Administrator) do not belong to an organisation.");
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

    /// <summary>Every account, by address: role, organisation, state, two-factor and last sign-in.</summary>
    public async Task<List<AccountSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var accounts = await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Email,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                Organisation = u.Organisation!.Name,
                u.DeactivatedAt,
                u.LockoutEnd,
                u.TwoFactorEnabled,
                u.LastSignInAt,
            })
            .ToListAsync(cancellationToken);
        return accounts.Select(a => new AccountSummary(
            a.Email ?? "", a.Role ?? "", a.Organisation,
            StateOf(a.DeactivatedAt, a.LockoutEnd, now), a.TwoFactorEnabled, a.LastSignInAt)).ToList();
    }

    /// <summary>An account's state from its deactivation and lockout, at <paramref name="now"/>.</summary>
    public static AccountState StateOf(DateTime? deactivatedAt, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        deactivatedAt is not null ? AccountState.Deactivated : lockoutEnd > now ? AccountState.Locked : AccountState.Active;

    /// <summary>Lets a locked-out account sign in again at once, its failed attempts forgotten.</summary>
    public Task<IdentityResult> UnlockAsync(string email) => WithAccountAsync(email, async user =>
    {
        var result = await users.SetLockoutEndDateAsync(user, null);
        return result.Succeeded ? await users.ResetAccessFailedCountAsync(user) : result;
    });

    /// <summary>
    /// The account can no longer sign in, and an open session ends at its next request. The last
    /// active Administrator cannot be deactivated: someone must be left to manage the rest.
    /// </summary>
    public Task<IdentityResult> DeactivateAsync(string email) => WithAccountAsync(email, async user =>
    {
        if (user.DeactivatedAt is not null)
        {
            return IdentityResult.Success;
        }

        if (await users.IsInRoleAsync(user, Roles.Administrator) && await ActiveAdministratorsAsync() <= 1)
        {
            return Failed("The last active Administrator cannot be deactivated.");
        }

        user.DeactivatedAt = clock.GetUtcNow().UtcDateTime;
        return await users.UpdateSecurityStampAsync(user);
    });

    /// <summary>The account can sign in again (with the password it had).</summary>
    public Task<IdentityResult> ReactivateAsync(string email) => WithAccountAsync(email, async user =>
    {
        user.DeactivatedAt = null;
        return await users.UpdateAsync(user);
    });

    private async Task<int> ActiveAdministratorsAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Administrator)).Count(u => u.DeactivatedAt is null);

    private async Task<IdentityResult> WithAccountAsync(string email, Func<PortalUser, Task<IdentityResult>> change) =>
        await users.FindByEmailAsync(email.Trim()) is { } user ? await change(user) : Failed($"No account has the address {email.Trim()}.");

    private static IdentityResult Failed(string message) => IdentityResult.Failed(new IdentityError { Description = message });
}
