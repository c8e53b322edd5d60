using FluentValidation;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Support;

/// <summary>
/// Licensing support cancels any Pending request, after confirming here with a reason: the
/// partner reads it, the customer only learns that licensing support withdrew the request.
/// </summary>
public sealed class CancelModel(RequestActions actions) : CancelRequestModel(actions)
{
    private static readonly InputValidator Rules = new();

    protected override int? OrganisationId => null;

    protected override string RequestPage => "Request";

    protected override IValidator<ReasonInput> Validator => Rules;

    protected override Task<ActionOutcome> CancelAsync(AccountRequest request, string? reason, CancellationToken cancellationToken) =>
        Actions.CancelAsSupportAsync(request, User.Identity!.Name!, reason!, cancellationToken);

    public sealed class InputValidator : AbstractValidator<ReasonInput>
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
