namespace SmartAccountPortal.Infrastructure;

/// <summary>Headers every response carries (CSP, nosniff, framing, referrer).</summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Decided on the address the client asked for, before an error page re-executes the
            // request elsewhere: a 429 or 404 for an activation link carries its token too.
            var sensitive = SecretPaths.IsSensitive(context.Request.Path);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (sensitive)
                {
                    headers["Referrer-Policy"] = "no-referrer";
                    headers.CacheControl = "no-store, no-cache";
                    headers.Pragma = "no-cache";
                }
                else if (!headers.ContainsKey("Referrer-Policy"))
                {
                    headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
