using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace SmartAccountPortal.Infrastructure;

/// <summary>The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the portal believes.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the portal, such as 10.0.0.5.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR form, such as 10.0.0.0/24.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Forwarded headers from the configured proxies only, and HTTPS outside Development.
/// Without this, whoever sends X-Forwarded-For chooses the client address the rate limits count
/// by; and ASP.NET Core's own switch (ASPNETCORE_FORWARDEDHEADERS_ENABLED) trusts every sender,
/// so its lists are replaced here too.
/// </summary>
public static class ProxyServices
{
    public static IServiceCollection AddPortalProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must hold IP addresses.")
            .Validate(s => s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "ForwardedHeaders:KnownNetworks must hold networks such as 10.0.0.0/24.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            var trusted = settings.Value;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            if (!trusted.Enabled)
            {
                // Empty lists would mean "trust everyone": trust no one instead.
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }

            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in trusted.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        // Plain HTTP is sent to the public address's HTTPS port (cookies are Secure outside
        // Development, so a form over HTTP could never be accepted).
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<PortalOptions>>((options, portal) =>
        {
            options.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            options.HttpsPort = configuration.GetValue<int?>("https_port")
                ?? (portal.Value.PublicBaseUrl is { Scheme: "https" } url ? url.Port : 443);
        });
        return services;
    }
}
