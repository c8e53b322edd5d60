using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Users;

/// <summary>Identity's sign-in, refusing deactivated accounts (their result is NotAllowed).</summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    TimeProvider clock,
    PortalDbContext db)
    : SignInManager<PortalUser>(users, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(PortalUser user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);

    /// <summary>Records a completed sign-in (every factor given); the people list shows it.</summary>
    public async Task RecordSignInAsync(PortalUser user)
    {
        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await UserManager.UpdateAsync(user);
    }

    /// <summary>Whether <paramref name="user"/> must still set up an authenticator app before their pages open.</summary>
    public async Task<bool> MustSetUpTwoFactorAsync(PortalUser user, AccountsOptions accounts) =>
        !user.TwoFactorEnabled && await TwoFactorDemandAsync(user, accounts) != TwoFactorDemand.None;

    /// <summary>Whether <paramref name="user"/> must sign in with two factors, and so cannot turn them off.</summary>
    public async Task<bool> MustUseTwoFactorAsync(PortalUser user, AccountsOptions accounts) =>
        await TwoFactorDemandAsync(user, accounts) != TwoFactorDemand.None;

    /// <summary>
    /// Who demands two-factor sign-in of <paramref name="user"/>: staff rules
    /// (Accounts:RequireTwoFactorForStaff), their organisation, or nobody.
    /// </summary>
    public async Task<TwoFactorDemand> TwoFactorDemandAsync(PortalUser user, AccountsOptions accounts)
    {
        if (accounts.RequireTwoFactorForStaff && (await UserManager.GetRolesAsync(user)).Any(Roles.Staff.Contains))
        {
            return TwoFactorDemand.Staff;
        }

        return user.OrganisationId is int organisation
            && await db.Organisations.AnyAsync(o => o.Id == organisation && o.RequiresTwoFactor)
            ? TwoFactorDemand.Organisation
            : TwoFactorDemand.None;
    }
}
