using System.Text.RegularExpressions;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// The addresses that carry a secret (the activation and invitation tokens in the path, the password-reset code
/// in the query), and how they are written wherever an address is written down: logs keep the
/// shape, never the secret. Any path under a prefix counts, matched or not, so a token with a
/// stray segment after it is hidden too.
/// </summary>
public static partial class SecretPaths
{
    private static readonly (PathString Prefix, string Shown)[] TokenInPath =
    [
        (new PathString("/Activation"), "/Activation/{token}"),
        (new PathString("/Invitation"), "/Invitation/{token}"),
    ];

    /// <summary>Paths whose responses must not leak their address onwards (Referer) or into a cache.</summary>
    private static readonly PathString[] Sensitive =
    [
        new("/Activation"),
        new("/Invitation"),
        new("/Identity/Account/ResetPassword"),
    ];

    /// <summary>The path as it may be logged.</summary>
    public static string Redact(PathString path)
    {
        foreach (var (prefix, shown) in TokenInPath)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue && rest.Value != "/")
            {
                return shown;
            }
        }

        return path.HasValue ? path.Value! : "/";
    }

    /// <summary>True for the pages whose address holds a secret: no Referer, no caching.</summary>
    public static bool IsSensitive(PathString path) =>
        Sensitive.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Any text (a log property, an exception message) with secret-bearing addresses and query values hidden.</summary>
    public static string RedactText(string text) =>
        text.Contains("/Activation/", StringComparison.OrdinalIgnoreCase) || text.Contains("/Invitation/", StringComparison.OrdinalIgnoreCase)
        || text.Contains("code=", StringComparison.OrdinalIgnoreCase) || text.Contains("token=", StringComparison.OrdinalIgnoreCase)
            ? SecretQueryValue().Replace(TokenSegment().Replace(text, "/$1/{token}"), "$1{redacted}")
            : text;

    [GeneratedRegex(@"/(Activation|Invitation)/[^\s""'?#<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenSegment();

    [GeneratedRegex(@"([?&](?:code|token)=)[^&\s""'#<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryValue();
}
