using Microsoft.AspNetCore.Identity;

namespace SmartAccountPortal.Domain;

/// <summary>A person who signs in: a partner (with an organisation), or vendor staff (Support, Administrator).</summary>
public sealed class PortalUser : IdentityUser
{
    public int? OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>A partner who manages their organisation's people (invites colleagues, deactivates them).</summary>
    public bool AdministersOrganisation { get; set; }

    /// <summary>The language the person chose with the switcher; null until they choose one.</summary>
    public string? PreferredLanguage { get; set; }

    /// <summary>The time zone the person reads dates in (an IANA id); null for the portal's default.</summary>
    public string? TimeZone { get; set; }

    /// <summary>When the account was deactivated: it can no longer sign in, and an open session ends at its next request.</summary>
    public DateTime? DeactivatedAt { get; set; }

    /// <summary>When the person last signed in (after every factor).</summary>
    public DateTime? LastSignInAt { get; set; }
}
