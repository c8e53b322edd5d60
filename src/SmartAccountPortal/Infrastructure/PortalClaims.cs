using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Infrastructure;

public static class PortalClaims
{
    public const string OrganisationId = "portal:organisation_id";

    /// <summary>Present for a partner who administers their organisation's people.</summary>
    public const string OrganisationAdministrator = "portal:organisation_administrator";

    /// <summary>Present when the person has two-factor sign-in on (the staff policies ask for it).</summary>
    public const string TwoFactor = "portal:two_factor";

    /// <summary>
    /// Whether the person holds the portal's sign-in cookie, as <c>SignInManager.IsSignedIn</c>
    /// answers, without making a sign-in manager (and its user manager and database context),
    /// which every page's layout did only to ask this.
    /// </summary>
    public static bool IsSignedIn(this ClaimsPrincipal user) =>
        user.Identities.Any(i => i.AuthenticationType == IdentityConstants.ApplicationScheme);

    /// <summary>The signed-in partner's organisation, or null for a user without one.</summary>
    public static int? GetOrganisationId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(OrganisationId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>Puts the partner's organisation into the sign-in cookie so pages can scope queries by it.</summary>
internal sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.OrganisationId is int organisationId)
        {
            identity.AddClaim(new Claim(PortalClaims.OrganisationId, organisationId.ToString(CultureInfo.InvariantCulture)));
        }

        if (user.AdministersOrganisation && user.OrganisationId is not null)
        {
            identity.AddClaim(new Claim(PortalClaims.OrganisationAdministrator, "on"));
        }

        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(PortalClaims.TwoFactor, "on"));
        }

        if (!string.IsNullOrEmpty(user.PreferredLanguage))
        {
            identity.AddClaim(new Claim(Localization.LanguageClaims.Language, user.PreferredLanguage));
        }

        if (!string.IsNullOrEmpty(user.TimeZone))
        {
            identity.AddClaim(new Claim(ReaderTimeZone.Claim, user.TimeZone));
        }

        return identity;
    }
}
