using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Pages;

/// <summary>
/// The page for unhandled errors and for error status codes: a reference to quote to
/// support, never a stack trace.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IOptions<PortalOptions> options) : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The portal could not complete your request. Nothing you entered was saved half-way; please try again.";

    public string Reference { get; private set; } = "";

    public bool ShowReference { get; private set; } = true;

    public Uri? SupportCaseUrl => options.Value.SupportCaseUrl;

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        Reference = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        var status = code ?? StatusCodes.Status500InternalServerError;
        Response.StatusCode = status;
        (Title, Explanation, ShowReference) = status switch
        {
            404 => ("Page not found", "There is nothing at this address. Check the link, or start again from the home page.", false),
            403 => ("Not allowed", "Your account does not have access to this page.", false),
            429 => ("Too many attempts", "Please wait a minute before trying again.", false),
            >= 400 and < 500 => ("This request could not be handled", "Please go back and try again.", false),
            _ => (Title, Explanation, true),
        };
    }
}
