using System.Text.RegularExpressions;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Where to send someone back to after signing in or out: a path on this site, written only in
/// characters a Location header can carry. Anything else (another site, "//host", "/\host",
/// control or non-ASCII characters) becomes the home page.
/// </summary>
public static partial class ReturnUrls
{
    public static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } && LocalPath().IsMatch(returnUrl) ? returnUrl : "/";

    // One '/', then no second '/' or '\' straight after it, then URL characters only.
    [GeneratedRegex(@"^/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%#]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalPath();
}
