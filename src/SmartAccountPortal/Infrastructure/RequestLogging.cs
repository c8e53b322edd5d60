using System.Diagnostics;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// One log line per HTTP request. Routes that carry a secret in the path (the activation
/// token) are logged by their template, never by their value.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Log.HttpRequest(
                logger,
                context.Request.Method,
                DisplayPath(context),
                context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    internal static string DisplayPath(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint
            && endpoint.RoutePattern.Parameters.Any(p => p.Name.Equals("token", StringComparison.OrdinalIgnoreCase)))
        {
            return "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
        }

        return context.Request.Path.Value ?? "/";
    }
}
