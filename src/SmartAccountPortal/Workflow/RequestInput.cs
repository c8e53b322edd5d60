using System.ComponentModel.DataAnnotations;
using FluentValidation;
using SmartAccountPortal.Data.Configurations;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Workflow;

/// <summary>A request's fields as a partner sends them, from the form or the API, before they are checked.</summary>
public sealed class RequestInput
{
    [Display(Name = "Field.AccountName")]
    public string? AccountName { get; set; }

    [Display(Name = "Field.CustomerEmail")]
    public string? CustomerEmail { get; set; }

    [Display(Name = "Field.AccountDomain")]
    public string? AccountDomain { get; set; }

    [Display(Name = "Field.NoteToCustomer")]
    public string? NoteToCustomer { get; set; }

    [Display(Name = "Field.UserEmails")]
    public string? UserEmails { get; set; }

    [Display(Name = "Field.NoteToAddedUsers")]
    public string? NoteToAddedUsers { get; set; }

    /// <summary>"en", "it", "nl", or empty for "guess it from the domain".</summary>
    [Display(Name = "Field.CustomerLanguage")]
    public string? CustomerLanguage { get; set; }

    /// <summary>
    /// The domain and the customer's address in their stored form (a pasted web address made the
    /// bare domain, an internationalised one in ASCII), before the rules check them.
    /// </summary>
    public void Normalise()
    {
        if (!string.IsNullOrWhiteSpace(AccountDomain))
        {
            AccountDomain = InputRules.NormaliseDomain(AccountDomain);
        }

        if (!string.IsNullOrWhiteSpace(CustomerEmail))
        {
            CustomerEmail = InputRules.NormaliseEmail(CustomerEmail);
        }
    }

    /// <summary>The values as they are stored: trimmed, domain lower-case, addresses split and de-duplicated.</summary>
    public RequestDetails ToDetails() => new(
        AccountName!.Trim(),
        CustomerEmail!.Trim(),
        InputRules.NormaliseDomain(AccountDomain!),
        InputRules.NormaliseNote(NoteToCustomer),
        InputRules.SplitEmails(UserEmails),
        InputRules.NormaliseNote(NoteToAddedUsers),
        string.IsNullOrEmpty(CustomerLanguage)
            ? Texts.GuessLanguage(InputRules.NormaliseDomain(AccountDomain!), Texts.CurrentLanguage)
            : CustomerLanguage);
}

/// <summary>The rules every request is held to, with their messages in the reader's language.</summary>
public sealed class RequestInputValidator : AbstractValidator<RequestInput>
{
    public const int MaxUserEmails = 50;

    public RequestInputValidator()
    {
        RuleFor(x => x.AccountName).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.AccountNameMissing"))
            .Must(v => v!.Trim().Length <= AccountRequestConfiguration.AccountNameMax)
            .WithMessage(_ => Texts.Format("Request.AccountNameTooLong", AccountRequestConfiguration.AccountNameMax))
            .Must(v => !InputRules.HasControlCharacters(v)).WithMessage(_ => Texts.Get("Request.AccountNameControl"));

        RuleFor(x => x.CustomerEmail).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.CustomerEmailMissing"))
            .Must(v => v!.Trim().Length <= InputRules.EmailMaxLength)
            .WithMessage(_ => Texts.Format("Request.CustomerEmailTooLong", InputRules.EmailMaxLength))
            .Must(v => !InputRules.HasEscapes(v)).WithMessage(_ => Texts.Get("Request.EmailEscaped"))
            .Must(v => InputRules.IsEmail(v!.Trim())).WithMessage(_ => Texts.Get("Request.CustomerEmailInvalid"))
            .Must((input, v) => !InputRules.IsDomain(input.AccountDomain?.Trim()) || InputRules.IsInDomain(v!.Trim(), input.AccountDomain!))
            .WithMessage(input => Texts.Format("Request.CustomerEmailOutsideDomain", InputRules.NormaliseDomain(input.AccountDomain!)));

        RuleFor(x => x.AccountDomain).Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.DomainMissing"))
            .Must(v => v!.Trim().Length <= InputRules.DomainMaxLength)
            .WithMessage(_ => Texts.Format("Request.DomainTooLong", InputRules.DomainMaxLength))
            .Must(v => InputRules.IsDomain(v!.Trim()))
            .WithMessage(_ => Texts.Get("Request.DomainInvalid"));

        RuleFor(x => x.UserEmails).Custom((value, context) =>
        {
            var addresses = InputRules.SplitEmails(value);
            var invalid = addresses.Where(a => !InputRules.IsEmail(a)).ToList();
            if (invalid.Count > 0)
            {
                context.AddFailure(invalid.Count == 1
                    ? Texts.Format("Request.UserEmailInvalid", invalid[0])
                    : Texts.Format("Request.UserEmailsInvalid", string.Join(", ", invalid)));
            }

            if (addresses.Count > MaxUserEmails)
            {
                context.AddFailure(Texts.Format("Request.TooManyUserEmails", MaxUserEmails, addresses.Count));
            }
        });

        RuleFor(x => x.CustomerLanguage)
            .Must(v => string.IsNullOrEmpty(v) || Texts.Languages.Contains(v, StringComparer.Ordinal))
            .WithMessage(_ => Texts.Get("Request.LanguageInvalid"));

        RuleFor(x => x.NoteToCustomer).IsNote("Subject.NoteToCustomer");
        RuleFor(x => x.NoteToAddedUsers).IsNote("Subject.NoteToAddedUsers");
    }
}
