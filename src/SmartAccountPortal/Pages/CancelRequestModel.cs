using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages;

/// <summary>
/// The confirmation page before a Pending request is cancelled, with a reason. Partners cancel
/// their organisation's requests, licensing support any request: the steps are the same, each
/// page brings its own reason rule, action and request page.
/// </summary>
public abstract class CancelRequestModel(RequestActions actions) : PageModel
{
    public AccountRequest Target { get; private set; } = null!;

    protected RequestActions Actions { get; } = actions;

    [BindProperty]
    public ReasonInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    /// <summary>Whose requests can be found here: one organisation's, or (null) every one.</summary>
    protected abstract int? OrganisationId { get; }

    /// <summary>The request's own page, where the outcome is shown.</summary>
    protected abstract string RequestPage { get; }

    protected abstract IValidator<ReasonInput> Validator { get; }

    protected abstract Task<ActionOutcome> CancelAsync(AccountRequest request, string? reason, CancellationToken cancellationToken);

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await Actions.FindAsync(reference, OrganisationId, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        if (request.Status != RequestStatus.Pending)
        {
            (StatusMessage, StatusIsError) = (Texts.Format("Action.CannotCancel", RequestView.State(request.Status)), true);
            return RedirectToPage(RequestPage, new { reference });
        }

        Target = request;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await Actions.FindAsync(reference, OrganisationId, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        Target = request;
        var result = await Validator.ValidateAsync(Input, cancellationToken);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!result.IsValid)
        {
            return Page();
        }

        var outcome = await CancelAsync(request, InputRules.NormaliseNote(Input.Reason), cancellationToken);
        (StatusMessage, StatusIsError) = (outcome.Message, !outcome.Done);
        return RedirectToPage(RequestPage, new { reference });
    }

    public sealed class ReasonInput
    {
        public string? Reason { get; set; }
    }
}
