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

    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The portal could not complete your request. Nothing you entered was saved half-way; please try again.";

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
        (Title, Explanation, ShowReference) = status switch
        {
            400 => ("This request could not be handled", "The form or address sent was not one the portal can read. Go back, reload the page and try again.", false),
            403 => ("Not allowed", "Your account does not have access to this page.", false),
            404 => ("Page not found", "There is nothing at this address. Check the link, or start again from the home page.", false),
            405 => ("This request could not be handled", "This page cannot be used that way. Go back, reload the page and try again.", false),
            413 => ("Too much data", "What was sent is larger than the portal accepts. Shorten it and try again.", false),
            415 => ("This request could not be handled", "The form was sent in a format the portal does not read. Reload the page and try again.", false),
            429 => ("Too many attempts", "Please wait a minute before trying again.", false),
            503 => ("The portal is busy", "The portal cannot answer right now. Please try again in a few minutes.", true),
            _ => (Title, Explanation, true),
        };
    }
}
