using FluentValidation;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>The confirmation step before a partner cancels one of their organisation's Pending requests; the reason is optional.</summary>
public sealed class CancelModel(RequestActions actions) : CancelRequestModel(actions)
{
    private static readonly InputValidator Rules = new();

    protected override int? OrganisationId => User.GetOrganisationId();

    protected override string RequestPage => "Details";

    protected override IValidator<ReasonInput> Validator => Rules;

    protected override Task<ActionOutcome> CancelAsync(AccountRequest request, string? reason, CancellationToken cancellationToken) =>
        Actions.CancelAsync(request, User.Identity!.Name!, reason, cancellationToken);

    public sealed class InputValidator : AbstractValidator<ReasonInput>
    {
        public InputValidator() => RuleFor(x => x.Reason).IsNote("Subject.Reason");
    }
}
