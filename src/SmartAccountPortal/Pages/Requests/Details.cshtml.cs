using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Data;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>One request of the partner's organisation: every field, its history, its e-mails, and what can be done.</summary>
public sealed class DetailsModel(PortalDbContext db, RequestActions actions, TimeProvider clock) : PageModel
{
    public RequestView View { get; private set; } = null!;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var view = await RequestView.LoadAsync(db, reference, User.GetOrganisationId(), cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await actions.FindAsync(reference, User.GetOrganisationId(), cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        var outcome = await actions.ResendAsync(request, User.Identity!.Name!, cancellationToken);
        (StatusMessage, StatusIsError) = (outcome.Message, !outcome.Done);
        return RedirectToPage(new { reference });
    }
}
