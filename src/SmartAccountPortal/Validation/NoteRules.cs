using FluentValidation;
using SmartAccountPortal.Data.Configurations;

namespace SmartAccountPortal.Validation;

/// <summary>The rule every free-text note and reason follows: optional, bounded, line breaks but no other control characters.</summary>
public static class NoteRules
{
    /// <param name="rule">The field's rule.</param>
    /// <param name="what">How the message names the field, e.g. "The reason".</param>
    public static IRuleBuilderOptions<T, string?> IsNote<T>(this IRuleBuilderInitial<T, string?> rule, string what) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(v => (InputRules.NormaliseNote(v)?.Length ?? 0) <= AccountRequestConfiguration.NoteMax)
            .WithMessage($"{what} can be at most 1,000 characters.")
            .Must(v => !InputRules.HasControlCharactersBesidesLineBreaks(v))
            .WithMessage($"{what} cannot contain control characters.");
}
