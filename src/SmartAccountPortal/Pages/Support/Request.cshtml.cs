using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Data;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Support;

/// <summary>
/// A request as support sees it: the partner's view plus the partner, the organisation and the
/// full e-mail log. Every action is recorded in the request's history under the staff member's name.
/// </summary>
public sealed class RequestModel(PortalDbContext db, RequestActions actions, TimeProvider clock) : PageModel
{
    public RequestView View { get; private set; } = null!;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken) =>
        await ShowAsync(reference, cancellationToken);

    public Task<IActionResult> OnPostResendAsync(string reference, CancellationToken cancellationToken) =>
        ActAsync(reference, request => actions.ResendAsync(request, User.Identity!.Name!, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRetryAsync(string reference, long messageId, CancellationToken cancellationToken) =>
        ActAsync(reference, request => actions.RetryMailAsync(request, messageId, User.Identity!.Name!, cancellationToken), cancellationToken);

    private async Task<IActionResult> ShowAsync(string reference, CancellationToken cancellationToken)
    {
        var view = await RequestView.LoadAsync(db, reference, organisationId: null, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }

    private async Task<IActionResult> ActAsync(string reference, Func<Domain.AccountRequest, Task<ActionOutcome>> action, CancellationToken cancellationToken)
    {
        var request = await actions.FindAsync(reference, organisationId: null, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        var outcome = await action(request);
        (StatusMessage, StatusIsError) = (outcome.Message, !outcome.Done);
        return RedirectToPage(new { reference });
    }
}
