using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Pages;

/// <summary>
/// The page for unhandled errors and for error status codes: a reference to quote to
/// support, never a stack trace. It is re-executed for whatever request failed, with that
/// request's method and body, so it has no handler and binds nothing: it cannot fail on a
/// body that made the original request fail.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[AnyMethod]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IOptions<PortalOptions> options) : PageModel
{
    /// <summary>The statuses the portal itself answers with; anything else at /Error/{code} is not a page.</summary>
    public static readonly IReadOnlySet<int> KnownStatusCodes = new HashSet<int> { 400, 403, 404, 405, 413, 415, 429, 500, 503 };

    /// <summary>The keys of the heading and the explanation in the texts.</summary>
    public string TitleKey { get; private set; } = "Error.500.Title";

    public string ExplanationKey { get; private set; } = "Error.500.Text";

    public string Reference { get; private set; } = "";

    public bool ShowReference { get; private set; } = true;

    public Uri? SupportCaseUrl => options.Value.SupportCaseUrl;

    /// <summary>
    /// The status being explained: the one the portal answered with when this page is
    /// re-executed for an error; a visitor who opens /Error or /Error/{code} directly finds no page.
    /// </summary>
    private static int StatusOf(HttpContext context, string? code)
    {
        if (context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return StatusCodes.Status500InternalServerError;
        }

        return context.Features.Get<IStatusCodeReExecuteFeature>() is not null
               && int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out var status)
               && KnownStatusCodes.Contains(status)
            ? status
            : StatusCodes.Status404NotFound;
    }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        Reference = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        var status = StatusOf(context.HttpContext, RouteData.Values["code"] as string);
        Response.StatusCode = status;
        TitleKey = $"Error.{status}.Title";
        ExplanationKey = $"Error.{status}.Text";
        ShowReference = status is 500 or 503;
    }
}
