using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Users;

/// <summary>Who requires a person to sign in with an authenticator app, if anyone.</summary>
public enum TwoFactorDemand
{
    None,

    /// <summary>Staff, with Accounts:RequireTwoFactorForStaff (the default).</summary>
    Staff,

    /// <summary>A partner whose organisation's administrator requires it.</summary>
    Organisation,
}

/// <summary>
/// Part of the staff and partner policies: when two-factor sign-in is demanded of the person
/// (<see cref="TwoFactorDemand"/>), the session must carry <see cref="PortalClaims.TwoFactor"/>,
/// which it does once they have turned on an authenticator app (and so signed in with it). An
/// organisation's demand is read with the session check on every request
/// (<see cref="SessionCheck"/>), so it applies to sessions already open when it is switched on.
/// </summary>
public sealed class TwoFactorRequirement : IAuthorizationRequirement;

internal sealed class TwoFactorHandler(IOptions<AccountsOptions> accounts) : AuthorizationHandler<TwoFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorRequirement requirement)
    {
        var demanded = (accounts.Value.RequireTwoFactorForStaff && Roles.Staff.Any(context.User.IsInRole))
            || (context.Resource as HttpContext)?.Items.ContainsKey(SessionCheck.OrganisationRequiresTwoFactor) == true;
        if (!demanded || context.User.HasClaim(c => c.Type == PortalClaims.TwoFactor))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A page refused only for want of two-factor sends the person to set it up, not to "access denied".</summary>
internal sealed class TwoFactorRedirect : IAuthorizationMiddlewareResultHandler
{
    public const string SetUpPath = "/Identity/Account/Manage/EnableAuthenticator";

    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<TwoFactorRequirement>().Any() == true
            && authorizeResult.AuthorizationFailure.FailedRequirements.All(r => r is TwoFactorRequirement))
        {
            context.Response.Redirect(SetUpPath);
            return Task.CompletedTask;
        }

        return standard.HandleAsync(next, context, policy, authorizeResult);
    }
}
