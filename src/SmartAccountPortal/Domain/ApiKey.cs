namespace SmartAccountPortal.Domain;

/// <summary>
/// A key an organisation's own systems use to call the API on its behalf. The key is shown once
/// when it is made; the portal keeps only its SHA-256 and its first characters (to recognise it
/// in the list). Requests made with it are the organisation's, attributed to "API key name".
/// </summary>
public sealed class ApiKey
{
    /// <summary>What every key begins with, so it is recognised (and found by secret scanners) wherever it leaks.</summary>
    public const string Marker = "sap_";

    public const int NameMax = 100;

    private ApiKey()
    {
    }

    public ApiKey(int organisationId, string name, string key, string hash, PortalUser createdBy, DateTime now)
    {
        OrganisationId = organisationId;
        Name = name;
        Prefix = key[..(Marker.Length + 6)];
        TokenHash = hash;
        CreatedById = createdBy.Id;
        CreatedByEmail = createdBy.Email ?? "";
        CreatedAt = now;
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The key's first characters ("sap_Xy12ab"), shown in the list.</summary>
    public string Prefix { get; private set; } = "";

    public string TokenHash { get; private set; } = "";

    /// <summary>Who made it: requests made with the key are submitted in their name, on behalf of the organisation.</summary>
    public string CreatedById { get; private set; } = "";

    public string CreatedByEmail { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    /// <summary>When it was last used (to the minute, so a busy key does not write on every call).</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; private set; }

    public void Revoke(DateTime now) => RevokedAt ??= now;

    /// <summary>How requests made with this key are attributed in their history.</summary>
    public string Actor => "API key " + Name;
}
