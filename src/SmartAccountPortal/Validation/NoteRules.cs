using FluentValidation;
using SmartAccountPortal.Localization;
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
            .WithMessage(_ => Texts.Format("Validation.NoteTooLong", Texts.Get(what)))
            .Must(v => !InputRules.HasControlCharactersBesidesLineBreaks(v))
            .WithMessage(_ => Texts.Format("Validation.NoteControlCharacters", Texts.Get(what)));
}
