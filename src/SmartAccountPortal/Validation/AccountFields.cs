using Microsoft.AspNetCore.Mvc.ModelBinding;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Validation;

/// <summary>
/// The checks of an address, a new password, a role with its organisation, and an e-mail's
/// language, with their messages next to the field, for the forms that ask for them.
/// </summary>
public static class AccountFields
{
    public const int OrganisationNameMax = 200;

    /// <summary>
    /// A role (<paramref name="role"/> null when what was sent is no role) and its organisation,
    /// at Input.Role and Input.Organisation: a partner needs one, staff have none.
    /// </summary>
    public static void CheckRoleAndOrganisation(ModelStateDictionary errors, string? role, string organisation, bool administers)
    {
        if (role is null)
        {
            errors.AddModelError("Input.Role", Texts.Get("Admin.Invite.ChooseRole"));
        }
        else if (role == Domain.Roles.Partner && organisation.Length == 0)
        {
            errors.AddModelError("Input.Organisation", Texts.Get("Admin.Invite.NeedsOrganisation"));
        }
        else if (role != Domain.Roles.Partner && (organisation.Length > 0 || administers))
        {
            errors.AddModelError("Input.Organisation", Texts.Get("Admin.Invite.StaffNoOrganisation"));
        }
        else
        {
            CheckOrganisationName(errors, "Input.Organisation", organisation);
        }
    }

    /// <summary>An organisation's name: at most <see cref="OrganisationNameMax"/> characters.</summary>
    public static void CheckOrganisationName(ModelStateDictionary errors, string field, string name)
    {
        if (name.Length > OrganisationNameMax)
        {
            errors.AddModelError(field, Texts.Format("Admin.Invite.OrganisationTooLong", OrganisationNameMax));
        }
    }

    /// <summary>One of the portal's languages, for an e-mail.</summary>
    public static void CheckLanguage(ModelStateDictionary errors, string field, string? language)
    {
        if (!Texts.Languages.Contains(language ?? "", StringComparer.Ordinal))
        {
            errors.AddModelError(field, Texts.Get("Admin.Invite.ChooseLanguage"));
        }
    }

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
