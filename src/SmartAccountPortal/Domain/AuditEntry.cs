namespace SmartAccountPortal.Domain;

/// <summary>What was done to a person or an organisation, as the audit list names it.</summary>
public enum AuditAction
{
    Invited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    Deactivated,
    Reactivated,
    Unlocked,
    PasswordResetSent,
    RoleChanged,
    TwoFactorReset,
    OrganisationRenamed,
    OrganisationTwoFactorRequired,
    OrganisationTwoFactorOptional,
    ApiKeyCreated,
    ApiKeyRevoked,
    WebhookCreated,
    WebhookChanged,
    WebhookSecretRotated,
    WebhookPaused,
    WebhookResumed,
    WebhookDeleted,
}

/// <summary>
/// One action on people or organisations: who did it (a person, or the <c>users</c> command on
/// the server when <see cref="ActorId"/> and <see cref="Actor"/> are empty), when, what, and on
/// whom. Entries are only ever added.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(DateTime at, PortalUser? actor, AuditAction action, string? subjectUserId, string subject, int? organisationId, string? detail)
    {
        At = at;
        ActorId = actor?.Id;
        Actor = actor?.Email ?? "";
        Action = action;
        SubjectUserId = subjectUserId;
        Subject = subject;
        OrganisationId = organisationId;
        Detail = detail;
    }

    /// <summary>An entry about an organisation that may be new, not yet saved (its id is then set on saving).</summary>
    public AuditEntry(DateTime at, PortalUser? actor, AuditAction action, string? subjectUserId, string subject, Organisation? organisation, string? detail)
        : this(at, actor, action, subjectUserId, subject, organisation?.Id is > 0 ? organisation.Id : null, detail) =>
        Organisation = organisation?.Id is > 0 ? null : organisation;

    public long Id { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>The person who acted; null for the <c>users</c> command.</summary>
    public string? ActorId { get; private set; }

    /// <summary>Their address when they acted; empty for the <c>users</c> command.</summary>
    public string Actor { get; private set; } = "";

    public AuditAction Action { get; private set; }

    /// <summary>The account acted on, when the action concerns one (kept after the account changes its address).</summary>
    public string? SubjectUserId { get; private set; }

    /// <summary>Whom or what: the person's address, or the organisation's name.</summary>
    public string Subject { get; private set; } = "";

    /// <summary>The organisation concerned, so an organisation's page lists what was done in it.</summary>
    public int? OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    /// <summary>What changed, when the action alone does not say: the role before and after, the old and new name (see Users.AuditLog).</summary>
    public string? Detail { get; private set; }
}
