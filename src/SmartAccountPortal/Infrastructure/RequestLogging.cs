using System.Diagnostics;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// One log line per HTTP request, written by the outermost middleware, so the status is the one
/// the client received (error pages and 500s included). The path is taken before anything
/// re-executes the request (an error page), and addresses that carry a secret are written by
/// their shape, never by their value.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var method = context.Request.Method;
        var path = SecretPaths.Redact(context.Request.Path);
        try
        {
            await next(context);
        }
        catch when (!context.Response.HasStarted)
        {
            // Nothing handled it (only possible where no exception page is configured): the
            // server answers 500, and so does this line.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            Log.HttpRequest(logger, method, path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
