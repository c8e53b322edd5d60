using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Reads a form body once, before anything else does, and answers 400 when it cannot be read
/// (too many fields, an oversized key or value, a broken multipart body, an unknown or
/// disabled charset). The request then carries an empty form, so the error page re-executed
/// for it does not trip over the same body.
/// </summary>
internal sealed partial class UnreadableBodies(RequestDelegate next, ILogger<UnreadableBodies> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (Exception exception) when (IsUnreadableBody(exception))
            {
                RefusedBody(logger, exception.GetType().Name);
                context.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
                context.Response.StatusCode = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    ? StatusCodes.Status413PayloadTooLarge
                    : StatusCodes.Status400BadRequest;
                return;
            }
        }

        await next(context);
    }

    private static bool IsUnreadableBody(Exception exception) =>
        exception is InvalidDataException or BadHttpRequestException or IOException or NotSupportedException
            or DecoderFallbackException or ArgumentException or FormatException;

    [LoggerMessage(20, LogLevel.Information, "Request body refused: {Reason}")]
    private static partial void RefusedBody(ILogger logger, string reason);
}
