using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Support;

/// <summary>
/// Licensing support cancels a Pending request, after confirming on this page and giving a
/// reason: the partner reads it, the customer only learns that licensing support withdrew it.
/// </summary>
public sealed class CancelModel(RequestActions actions) : PageModel
{
    private static readonly InputValidator Validator = new();

    public AccountRequest Target { get; private set; } = null!;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    [TempData]
    public bool StatusIsError { get; set; }

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await actions.FindAsync(reference, organisationId: null, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        if (request.Status != RequestStatus.Pending)
        {
            (StatusMessage, StatusIsError) = (Texts.Format("Action.CannotCancel", RequestView.State(request.Status)), true);
            return RedirectToPage("Request", new { reference });
        }

        Target = request;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await actions.FindAsync(reference, organisationId: null, cancellationToken);
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

        var outcome = await actions.CancelAsSupportAsync(request, User.Identity!.Name!, InputRules.NormaliseNote(Input.Reason)!, cancellationToken);
        (StatusMessage, StatusIsError) = (outcome.Message, !outcome.Done);
        return RedirectToPage("Request", new { reference });
    }

    public sealed class InputModel
    {
        [Display(Name = "Field.CancelReason")]
        public string? Reason { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator()
        {
            // Unlike a partner's, support's reason is required: it is how the partner learns why.
            RuleFor(x => x.Reason).Must(v => InputRules.NormaliseNote(v) is not null)
                .WithMessage(_ => Texts.Get("Support.CancelReasonNeeded"));
            RuleFor(x => x.Reason).IsNote("Subject.Reason");
        }
    }
}
