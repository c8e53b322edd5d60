namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// The environment `dotnet run` starts in when nobody chose one. The launch profile sets
/// <see cref="Variable"/> rather than ASPNETCORE_ENVIRONMENT, because a profile's variables
/// overwrite the shell's: `ASPNETCORE_ENVIRONMENT=Production dotnet run` would otherwise run as
/// Development, seeding the demonstration accounts and serving the mail page. An environment
/// named anywhere (ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT, --environment) always wins.
/// </summary>
public static class LaunchEnvironment
{
    public const string Variable = "SMARTACCOUNTPORTAL_LAUNCH_ENVIRONMENT";

    /// <summary>The launch profile's default, or null to let the host decide as usual.</summary>
    public static string? Default(string[] args)
    {
        var chosen = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
                     || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
                     || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase)
                                      || a.StartsWith("/environment", StringComparison.OrdinalIgnoreCase));
        var fallback = Environment.GetEnvironmentVariable(Variable);
        return chosen || string.IsNullOrEmpty(fallback) ? null : fallback;
    }
}
