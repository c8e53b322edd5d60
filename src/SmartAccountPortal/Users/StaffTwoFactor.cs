using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Users;

/// <summary>
/// Part of the staff policies: with Accounts:RequireTwoFactorForStaff (the default) a staff
/// member's session must carry <see cref="PortalClaims.TwoFactor"/>, which it does once they
/// have turned on an authenticator app (and so signed in with it).
/// </summary>
public sealed class StaffTwoFactorRequirement : IAuthorizationRequirement;

internal sealed class StaffTwoFactorHandler(IOptions<AccountsOptions> accounts) : AuthorizationHandler<StaffTwoFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffTwoFactorRequirement requirement)
    {
        if (!accounts.Value.RequireTwoFactorForStaff || context.User.HasClaim(c => c.Type == PortalClaims.TwoFactor))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A staff page refused only for want of two-factor sends the person to set it up, not to "access denied".</summary>
internal sealed class StaffTwoFactorRedirect : IAuthorizationMiddlewareResultHandler
{
    public const string SetUpPath = "/Identity/Account/Manage/EnableAuthenticator";

    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<StaffTwoFactorRequirement>().Any() == true
            && authorizeResult.AuthorizationFailure.FailedRequirements.All(r => r is StaffTwoFactorRequirement))
        {
            context.Response.Redirect(SetUpPath);
            return Task.CompletedTask;
        }

        return standard.HandleAsync(next, context, policy, authorizeResult);
    }
}
