using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Domain;

/// <summary>
/// An HTTPS address of an organisation's own system that hears about its requests' changes.
/// Deliveries are signed with the endpoint's secret, kept encrypted (Data Protection) because
/// signing needs it; after a rotation the previous secret also signs for a while, so the
/// receiver can switch without missing a delivery. After repeated failed deliveries the
/// endpoint is paused, and its deliveries are held until it is resumed.
/// </summary>
public sealed class WebhookEndpoint
{
    public const int UrlMax = 500;

    public const int DescriptionMax = 100;

    private WebhookEndpoint()
    {
    }

    public WebhookEndpoint(int organisationId, string url, string? description, WebhookEvent events, string protectedSecret, PortalUser createdBy, DateTime now)
    {
        OrganisationId = organisationId;
        Url = url;
        Description = description;
        Events = events;
        ProtectedSecret = protectedSecret;
        CreatedByEmail = createdBy.Email ?? "";
        CreatedAt = now;
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public string Url { get; private set; } = "";

    /// <summary>What the endpoint is for, as its administrator wrote it (optional).</summary>
    public string? Description { get; private set; }

    public WebhookEvent Events { get; private set; }

    /// <summary>The signing secret (<c>whsec_…</c>), encrypted.</summary>
    public string ProtectedSecret { get; private set; } = "";

    /// <summary>The secret before the last rotation, encrypted; it signs too until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousProtectedSecret { get; private set; }

    public DateTime? PreviousSecretUntil { get; private set; }

    public string CreatedByEmail { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    /// <summary>Set while the endpoint is paused (after repeated failures, or by its administrator).</summary>
    public DateTime? PausedAt { get; private set; }

    /// <summary>Deliveries in a row that failed every attempt; any delivered one resets it.</summary>
    public int FailedDeliveriesInARow { get; private set; }

    public bool IsPaused => PausedAt is not null;

    public bool Wants(WebhookEvent e) => (Events & e) != 0;

    public void Subscribe(WebhookEvent events, string? description)
    {
        Events = events;
        Description = description;
    }

    /// <summary>A new secret; the current one keeps signing until <paramref name="previousUntil"/>.</summary>
    public void Rotate(string protectedSecret, DateTime previousUntil)
    {
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretUntil = previousUntil;
        ProtectedSecret = protectedSecret;
    }

    /// <summary>The secrets that sign a delivery at <paramref name="now"/>: the current one, and the previous one during its overlap.</summary>
    public IEnumerable<string> SigningSecrets(DateTime now)
    {
        yield return ProtectedSecret;
        if (PreviousProtectedSecret is not null && PreviousSecretUntil > now)
        {
            yield return PreviousProtectedSecret;
        }
    }

    public void Pause(DateTime now) => PausedAt ??= now;

    public void Resume()
    {
        PausedAt = null;
        FailedDeliveriesInARow = 0;
    }

}
