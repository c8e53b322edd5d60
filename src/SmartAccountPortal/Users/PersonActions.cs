using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Users;

/// <summary>
/// The actions the people pages offer on one person, each a button named <c>act</c> in one form:
/// what each does, and what the page then says. Administrators have them all; an organisation's
/// administrator every one but resetting two-factor, on their organisation's people only.
/// </summary>
public static class PersonActions
{
    public const string Deactivate = "deactivate";
    public const string Reactivate = "reactivate";
    public const string Unlock = "unlock";
    public const string PasswordReset = "password-reset";
    public const string ResetTwoFactor = "reset-two-factor";

    public static readonly IReadOnlyList<string> ForOrganisationAdministrators = [Deactivate, Reactivate, Unlock, PasswordReset];

    public static readonly IReadOnlyList<string> ForAdministrators = [Deactivate, Reactivate, Unlock, PasswordReset, ResetTwoFactor];

    /// <summary>The buttons that apply to a person in <paramref name="state"/> (not to oneself).</summary>
    public static IEnumerable<string> Offered(IReadOnlyList<string> allowed, AccountState state, bool twoFactor) => allowed.Where(act => act switch
    {
        Deactivate => state != AccountState.Deactivated,
        Reactivate => state == AccountState.Deactivated,
        Unlock => state == AccountState.Locked,
        ResetTwoFactor => twoFactor,
        _ => true,
    });

    /// <summary>Does <paramref name="act"/> to <paramref name="person"/>; the message to show, and whether it was refused.</summary>
    public static async Task<(string Message, bool Refused)> RunAsync(UserAccounts accounts, string act, PortalUser person, PortalUser by)
    {
        var email = person.Email ?? "";
        var result = act switch
        {
            Deactivate => await accounts.DeactivateAsync(person, by),
            Reactivate => await accounts.ReactivateAsync(person, by),
            Unlock => await accounts.UnlockAsync(person, by),
            PasswordReset => await accounts.SendPasswordResetAsync(person, by, Texts.CurrentLanguage),
            _ => await accounts.ResetTwoFactorAsync(person, by),
        };
        return result.Succeeded
            ? (Texts.Format(Done(act), email), false)
            : (Texts.Format(result.ProblemKey!, result.Values), true);
    }

    /// <summary>The button's text key ("People.Act.unlock"); its accessible name adds the person ("People.ActOn.unlock").</summary>
    public static string Label(string act) => "People.Act." + act;

    public static string LabelFor(string act) => "People.ActOn." + act;

    private static string Done(string act) => "People.Done." + act;
}
