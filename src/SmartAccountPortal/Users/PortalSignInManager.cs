using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
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
    TimeProvider clock)
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

    /// <summary>Whether <paramref name="user"/> is staff who must still set up an authenticator app before any staff page opens.</summary>
    public async Task<bool> MustSetUpTwoFactorAsync(PortalUser user, AccountsOptions accounts) =>
        !user.TwoFactorEnabled && await MustUseTwoFactorAsync(user, accounts);

    /// <summary>Whether <paramref name="user"/> is staff, who sign in with two factors (Accounts:RequireTwoFactorForStaff) and cannot turn them off.</summary>
    public async Task<bool> MustUseTwoFactorAsync(PortalUser user, AccountsOptions accounts) =>
        accounts.RequireTwoFactorForStaff && (await UserManager.GetRolesAsync(user)).Any(Roles.Staff.Contains);
}
