using Microsoft.AspNetCore.Identity;

namespace SmartAccountPortal.Domain;

/// <summary>A person who signs in: a partner (with an organisation) or support staff.</summary>
public sealed class PortalUser : IdentityUser
{
    public int? OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>The language the person chose with the switcher; null until they choose one.</summary>
    public string? PreferredLanguage { get; set; }
}
