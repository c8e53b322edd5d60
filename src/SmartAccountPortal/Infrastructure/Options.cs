using System.ComponentModel.DataAnnotations;

namespace SmartAccountPortal.Infrastructure;

public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The address people reach the portal at; every link in an e-mail starts with it.</summary>
    [Required]
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Where a partner opens a support case (shown on error pages).</summary>
    [Required]
    public Uri? SupportCaseUrl { get; set; }

    /// <summary>The portal's name as e-mails show it, above every message.</summary>
    public string ProductName { get; set; } = "Smart Account Portal";

    /// <summary>Who runs the portal, named beside it in every e-mail, so recipients know who writes to them.</summary>
    public string VendorName { get; set; } = "Example Software";

    /// <summary>Where customers manage an active Smart Account (the vendor's software portal); optional.</summary>
    public Uri? AccountManagementUrl { get; set; }

    /// <summary>The time zone dates are shown in for customers, in e-mails, and for people who chose none (an IANA id).</summary>
    public string DefaultTimeZone { get; set; } = "UTC";
}

public sealed class RequestOptions
{
    public const string Section = "Requests";

    /// <summary>How long a customer has to accept a request.</summary>
    public TimeSpan ExpiresAfter { get; set; } = Domain.AccountRequest.DefaultExpiresAfter;

    /// <summary>How long before expiry the customer gets a reminder (once).</summary>
    public TimeSpan RemindBeforeExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after an activation link is sent a new one may be (unless the last one failed).</summary>
    public TimeSpan ResendInterval { get; set; } = Domain.AccountRequest.DefaultResendInterval;
}

public sealed class BackgroundOptions
{
    public const string Section = "Background";

    /// <summary>Off only where something else drives the processors (tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the service looks for due e-mails and expired requests.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed message is reserved for one instance; after it, another may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many messages per batch (a full batch is followed at once by the next).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// At most this many requests expired per transaction: a few statements whatever the number,
    /// so larger than the mail batch; small enough that the writer lock is held only briefly.
    /// </summary>
    [Range(1, 10_000)]
    public int ExpiryBatchSize { get; set; } = 1_000;
}

/// <summary>This process, as named in the leases it takes.</summary>
public sealed record WorkerIdentity(string Name)
{
    public static WorkerIdentity ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}");
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Staff (Support, Administrator) reach no staff page until they sign in with an authenticator app.</summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    /// <summary>How long an invitation's link works.</summary>
    public TimeSpan InvitationExpiresAfter { get; set; } = TimeSpan.FromDays(7);
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>When set in Development, the demonstration accounts are created with it.</summary>
    public string? Password { get; set; }
}

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts (POSTs) one client address may make a minute.</summary>
    [Range(1, 10_000)]
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Activation page requests (views and answers) one client address may make a minute.</summary>
    [Range(1, 10_000)]
    public int ActivationPerMinute { get; set; } = 30;

    /// <summary>API calls one key may make a minute; more answer 429 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int ApiPerMinute { get; set; } = 120;
}
