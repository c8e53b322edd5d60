using Microsoft.AspNetCore.Mvc.ModelBinding;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Validation;

/// <summary>The checks of an address and of a new password, with their messages next to the field, for the forms that ask for them.</summary>
public static class AccountFields
{
    /// <summary>An address, trimmed, that must be given and well formed.</summary>
    public static void CheckEmail(ModelStateDictionary errors, string field, string email)
    {
        if (email.Length == 0)
        {
            errors.AddModelError(field, Texts.Get("Account.EnterEmail"));
        }
        else if (!InputRules.IsEmail(email))
        {
            errors.AddModelError(field, Texts.Get("Account.EmailFormat"));
        }
    }

    /// <summary>A new password: given, at least <paramref name="minimumLength"/> long, and typed the same twice.</summary>
    public static void CheckNewPassword(ModelStateDictionary errors, string field, string confirmField, string password, string? confirmation, int minimumLength)
    {
        if (password.Length == 0)
        {
            errors.AddModelError(field, Texts.Get("Account.EnterNewPassword"));
        }
        else if (password.Length < minimumLength)
        {
            errors.AddModelError(field, Texts.Format("Account.PasswordTooShort", minimumLength));
        }
        else if (password != confirmation)
        {
            errors.AddModelError(confirmField, Texts.Get("Account.PasswordsDiffer"));
        }
    }
}
