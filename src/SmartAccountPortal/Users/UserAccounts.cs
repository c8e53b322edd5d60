using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;

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

/// <summary>What became of a change asked for: done, or refused for a reason (a text key and its values).</summary>
public sealed record AccountChange(string? ProblemKey, params object?[] Values)
{
    public static readonly AccountChange Done = new((string?)null);

    public bool Succeeded => ProblemKey is null;

    public static AccountChange Refused(string key, params object?[] values) => new(key, values);
}

/// <summary>
/// Creates and looks after portal accounts, for the people pages, the `users` command and the
/// Development seed. Every change is recorded in the audit list with who made it (null: the
/// `users` command) and saved with it. Nobody deactivates or demotes themselves, and the last
/// active Administrator is neither deactivated nor demoted: someone must be left to manage the rest.
/// </summary>
public sealed class UserAccounts(
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    PortalDbContext db,
    RequestMailer mailer,
    IOptions<PortalOptions> portal,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

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
            user.Organisation = await OrganisationNamedAsync(organisation!.Trim(), CancellationToken.None);
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
                Role = RoleOf(db, u.Id),
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

    /// <summary>The name of an account's role, inside a query (every account has one).</summary>
    public static string? RoleOf(PortalDbContext db, string userId) =>
        db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault();

    /// <summary>An account's state from its deactivation and lockout, at <paramref name="now"/>.</summary>
    public static AccountState StateOf(DateTime? deactivatedAt, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        deactivatedAt is not null ? AccountState.Deactivated : lockoutEnd > now ? AccountState.Locked : AccountState.Active;

    /// <summary>The account with this address, for the `users` command.</summary>
    public Task<PortalUser?> FindAsync(string email) => users.FindByEmailAsync(email.Trim());

    /// <summary>Lets a locked-out account sign in again at once, its failed attempts forgotten.</summary>
    public async Task<AccountChange> UnlockAsync(PortalUser person, PortalUser? by)
    {
        Record(by, AuditAction.Unlocked, person);
        await users.SetLockoutEndDateAsync(person, null);
        await users.ResetAccessFailedCountAsync(person);
        return AccountChange.Done;
    }

    /// <summary>The account can no longer sign in, and an open session ends at its next request.</summary>
    public async Task<AccountChange> DeactivateAsync(PortalUser person, PortalUser? by)
    {
        if (await RefusedForSelfOrLastAdministratorAsync(person, by) is { } refused)
        {
            return refused;
        }

        if (person.DeactivatedAt is null)
        {
            Record(by, AuditAction.Deactivated, person);
            person.DeactivatedAt = Now;
            await users.UpdateSecurityStampAsync(person);
        }

        return AccountChange.Done;
    }

    /// <summary>The account can sign in again (with the password it had).</summary>
    public async Task<AccountChange> ReactivateAsync(PortalUser person, PortalUser? by)
    {
        if (person.DeactivatedAt is not null)
        {
            Record(by, AuditAction.Reactivated, person);
            person.DeactivatedAt = null;
            await users.UpdateAsync(person);
        }

        return AccountChange.Done;
    }

    /// <summary>
    /// Queues an e-mail with a link to choose a new password (Identity's single-use reset token,
    /// the link built from Portal:PublicBaseUrl), in the person's language or else
    /// <paramref name="language"/>. Recorded when someone else asked for it.
    /// </summary>
    public async Task<AccountChange> SendPasswordResetAsync(PortalUser person, PortalUser? by, string language)
    {
        var token = await users.GeneratePasswordResetTokenAsync(person);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = new Uri(portal.Value.PublicBaseUrl!, "/Identity/Account/ResetPassword?code=" + Uri.EscapeDataString(code));
        await mailer.PasswordResetAsync(person.Email!, person.PreferredLanguage ?? language, link);
        if (by is not null)
        {
            Record(by, AuditAction.PasswordResetSent, person);
        }

        await db.SaveChangesAsync();
        return AccountChange.Done;
    }

    /// <summary>
    /// For a lost authenticator app: turns two-factor sign-in off, forgets the app's key and the
    /// recovery codes, and ends the person's sessions. Staff (and partners of an organisation
    /// that requires it) set up a new app at their next sign-in.
    /// </summary>
    public async Task<AccountChange> ResetTwoFactorAsync(PortalUser person, PortalUser by)
    {
        if (person.Id == by.Id)
        {
            return AccountChange.Refused("People.NotYourselfTwoFactor");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        Record(by, AuditAction.TwoFactorReset, person);
        await users.SetTwoFactorEnabledAsync(person, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(person, 0);
        await users.ResetAuthenticatorKeyAsync(person);
        await transaction.CommitAsync();
        return AccountChange.Done;
    }

    /// <summary>
    /// Gives <paramref name="person"/> another role: a partner in <paramref name="organisation"/>
    /// (created when new), perhaps its administrator; staff in none. Their sessions end, so the
    /// next sign-in carries the new rights (and, for staff, asks for an authenticator app).
    /// </summary>
    public async Task<AccountChange> ChangeRoleAsync(PortalUser person, string role, string? organisation, bool administers, PortalUser by, CancellationToken cancellationToken)
    {
        if (person.Id == by.Id)
        {
            return AccountChange.Refused("People.NotYourselfRole");
        }

        var current = (await users.GetRolesAsync(person)).FirstOrDefault() ?? "";
        if (role != Roles.Administrator && await IsLastActiveAdministratorAsync(person, current == Roles.Administrator))
        {
            return AccountChange.Refused("People.LastAdministrator");
        }

        var before = AuditLog.RoleValue(current, await OrganisationNameAsync(person.OrganisationId, cancellationToken), person.AdministersOrganisation);
        var joins = role == Roles.Partner ? await OrganisationNamedAsync(organisation!.Trim(), cancellationToken) : null;
        var after = AuditLog.RoleValue(role, joins?.Name, role == Roles.Partner && administers);
        if (before == after)
        {
            return AccountChange.Done;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Recorded in the organisation left, or else the one joined.
        db.AuditEntries.Add(person.OrganisationId is int left
            ? new AuditEntry(Now, by, AuditAction.RoleChanged, person.Id, person.Email ?? "", left, AuditLog.Change(before, after))
            : new AuditEntry(Now, by, AuditAction.RoleChanged, person.Id, person.Email ?? "", joins, AuditLog.Change(before, after)));
        if (person.OrganisationId is int leaving && leaving != joins?.Id)
        {
            // Keys made for the organisation they leave stop working: requests made with them would
            // otherwise be submitted in the name of someone outside it.
            foreach (var key in await db.ApiKeys.Where(k => k.CreatedById == person.Id && k.OrganisationId == leaving && k.RevokedAt == null).ToListAsync(cancellationToken))
            {
                key.Revoke(Now);
                db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.ApiKeyRevoked, null, key.Name, leaving, null));
            }
        }

        person.Organisation = joins;
        if (joins is null)
        {
            person.OrganisationId = null;
        }

        person.AdministersOrganisation = role == Roles.Partner && administers;
        if (current != role)
        {
            if (current.Length > 0)
            {
                await users.RemoveFromRoleAsync(person, current);
            }

            await users.AddToRoleAsync(person, role);
        }

        await users.UpdateSecurityStampAsync(person);
        await transaction.CommitAsync(cancellationToken);
        return AccountChange.Done;
    }

    /// <summary>Renames an organisation; a name another organisation has is refused.</summary>
    public async Task<AccountChange> RenameOrganisationAsync(int id, string name, PortalUser by, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.SingleAsync(o => o.Id == id, cancellationToken);
        if (organisation.Name == name)
        {
            return AccountChange.Done;
        }

        if (await db.Organisations.AnyAsync(o => o.Name == name && o.Id != id, cancellationToken))
        {
            return AccountChange.Refused("Organisations.NameTaken");
        }

        db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.OrganisationRenamed, null, name, id, AuditLog.Change(organisation.Name, name)));
        organisation.Rename(name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Taken by another organisation at the same moment.
            db.ChangeTracker.Clear();
            return AccountChange.Refused("Organisations.NameTaken");
        }

        return AccountChange.Done;
    }

    /// <summary>Whether the organisation's partners must sign in with an authenticator app.</summary>
    public async Task<AccountChange> RequireTwoFactorAsync(int id, bool required, PortalUser by, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.SingleAsync(o => o.Id == id, cancellationToken);
        if (organisation.RequiresTwoFactor != required)
        {
            organisation.RequiresTwoFactor = required;
            db.AuditEntries.Add(new AuditEntry(
                Now, by, required ? AuditAction.OrganisationTwoFactorRequired : AuditAction.OrganisationTwoFactorOptional, null, organisation.Name, id, null));
            await db.SaveChangesAsync(cancellationToken);
        }

        return AccountChange.Done;
    }

    /// <summary>Adds an audit entry about <paramref name="person"/>, saved with the change it records.</summary>
    private void Record(PortalUser? by, AuditAction action, PortalUser person, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry(Now, by, action, person.Id, person.Email ?? "", person.OrganisationId, detail));

    private async Task<AccountChange?> RefusedForSelfOrLastAdministratorAsync(PortalUser person, PortalUser? by)
    {
        if (person.Id == by?.Id)
        {
            return AccountChange.Refused("People.NotYourself");
        }

        return await IsLastActiveAdministratorAsync(person, await users.IsInRoleAsync(person, Roles.Administrator))
            ? AccountChange.Refused("People.LastAdministrator")
            : null;
    }

    private async Task<Organisation> OrganisationNamedAsync(string name, CancellationToken cancellationToken) =>
        await db.Organisations.SingleOrDefaultAsync(o => o.Name == name, cancellationToken) ?? new Organisation(name);

    private Task<string?> OrganisationNameAsync(int? id, CancellationToken cancellationToken) =>
        db.Organisations.Where(o => o.Id == id).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Whether <paramref name="person"/> (an Administrator when <paramref name="administrator"/>) is the only active Administrator left.</summary>
    private async Task<bool> IsLastActiveAdministratorAsync(PortalUser person, bool administrator) =>
        administrator && person.DeactivatedAt is null
        && (await users.GetUsersInRoleAsync(Roles.Administrator)).Count(u => u.DeactivatedAt is null) <= 1;

    private static IdentityResult Failed(string message) => IdentityResult.Failed(new IdentityError { Description = message });
}
