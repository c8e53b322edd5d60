using System.ComponentModel.DataAnnotations;

namespace SmartAccountPortal.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Lets endpoints reach loopback, private and link-local addresses: for Development and tests,
    /// where the receiver runs on the same machine. Never in production.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long an endpoint has to answer a delivery.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How many deliveries are sent at once.</summary>
    [Range(1, 32)]
    public int Connections { get; set; } = 4;

    /// <summary>Attempts before a delivery is left Failed (it can be redelivered).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure; it doubles with each further one (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>An endpoint is paused after this many deliveries in a row failed every attempt.</summary>
    [Range(1, 1000)]
    public int PauseAfterFailures { get; set; } = 3;

    /// <summary>After a rotation, how long the previous secret still signs beside the new one.</summary>
    public TimeSpan PreviousSecretValidFor { get; set; } = TimeSpan.FromHours(24);
}
