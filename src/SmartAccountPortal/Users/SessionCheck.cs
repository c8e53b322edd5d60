using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;

namespace SmartAccountPortal.Users;

/// <summary>
/// Checks the session cookie against the account on every request, with one lookup by key: a
/// deactivated or removed account, or one whose security stamp changed since the cookie was
/// issued (a new password, two-factor turned on or off elsewhere), ends the session at once
/// rather than when the cookie runs out. The same lookup reads whether the person's
/// organisation requires two-factor sign-in (<see cref="TwoFactorHandler"/>). Pages that change the signed-in person's own stamp
/// issue a fresh cookie (RefreshSignInAsync).
/// </summary>
internal static class SessionCheck
{
    /// <summary>Set in the request's items when the person's organisation requires two-factor sign-in.</summary>
    public const string OrganisationRequiresTwoFactor = "portal:organisation-requires-two-factor";

    private sealed record Account(string? SecurityStamp, DateTime? DeactivatedAt, bool RequiresTwoFactor);

    /// <summary>Compiled: it runs on every signed-in request.</summary>
    private static readonly Func<PortalDbContext, string, CancellationToken, Task<Account?>> AccountById =
        EF.CompileAsyncQuery((PortalDbContext db, string id, CancellationToken _) => db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Account(u.SecurityStamp, u.DeactivatedAt, u.Organisation != null && u.Organisation.RequiresTwoFactor))
            .SingleOrDefault());

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (context.Principal?.FindFirstValue(claims.UserIdClaimType) is not string id)
        {
            return;
        }

        var stamp = context.Principal.FindFirstValue(claims.SecurityStampClaimType);
        var account = await AccountById(services.GetRequiredService<PortalDbContext>(), id, context.HttpContext.RequestAborted);
        if (account is null || account.DeactivatedAt is not null || stamp != account.SecurityStamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
        else if (account.RequiresTwoFactor)
        {
            context.HttpContext.Items[OrganisationRequiresTwoFactor] = true;
        }
    }
}
