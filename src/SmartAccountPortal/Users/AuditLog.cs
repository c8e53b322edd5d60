using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Users;

/// <summary>
/// How audit entries keep what changed and read it out in the reader's language: a role is
/// stored as <c>Role|Organisation|1</c> (the 1 for its administrator), a change as the value
/// before and after on two lines.
/// </summary>
public static class AuditLog
{
    public static string RoleValue(string role, string? organisation, bool administers) =>
        role + "|" + organisation + "|" + (administers ? "1" : "");

    public static string Change(string before, string after) => before + "\n" + after;

    /// <summary>What was done, in the reader's language: "Role changed from Partner of Contoso to Licensing support". <c>Audit.{action}</c> alone names the action.</summary>
    public static string What(AuditAction action, string? detail)
    {
        var (before, after) = detail?.Split('\n') is [var b, var a] ? (b, a) : (detail ?? "", "");
        return action switch
        {
            AuditAction.Invited when before.Length > 0 => Texts.Format("Audit.InvitedAs", RoleText(before)),
            AuditAction.RoleChanged when after.Length > 0 => Texts.Format("Audit.RoleChangedFromTo", RoleText(before), RoleText(after)),
            AuditAction.OrganisationRenamed when after.Length > 0 => Texts.Format("Audit.RenamedFromTo", before, after),
            _ => Texts.Get("Audit." + action),
        };
    }

    /// <summary>Who acted: a person's address, or the server's `users` command.</summary>
    public static string Who(string actor) => actor.Length > 0 ? actor : Texts.Get("Audit.ByCommand");

    /// <summary>"Partner of Contoso", "Partner and administrator of Contoso", "Licensing support".</summary>
    public static string RoleText(string role, string? organisation, bool administers) => RoleText(RoleValue(role, organisation, administers));

    /// <summary>A role kept by <see cref="RoleValue"/>, in the reader's language.</summary>
    public static string RoleText(string value)
    {
        var parts = value.Split('|');
        return parts is [var role, { Length: > 0 } organisation, var administers]
            ? Texts.Format(administers == "1" ? "Admin.Invitations.PartnerAdministratorOf" : "Admin.Invitations.PartnerOf", organisation)
            : Texts.Get("Role." + parts[0]);
    }
}
