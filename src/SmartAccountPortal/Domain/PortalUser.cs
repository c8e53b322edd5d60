using Microsoft.AspNetCore.Identity;

namespace SmartAccountPortal.Domain;

/// <summary>A person who signs in: a partner (with an organisation) or support staff.</summary>
public sealed class PortalUser : IdentityUser
{
    public int? OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }
}
