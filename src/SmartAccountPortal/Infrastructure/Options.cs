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
}

public sealed class RequestOptions
{
    public const string Section = "Requests";

    /// <summary>How long a customer has to accept a request.</summary>
    public TimeSpan ExpiresAfter { get; set; } = Domain.AccountRequest.DefaultExpiresAfter;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
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
}
