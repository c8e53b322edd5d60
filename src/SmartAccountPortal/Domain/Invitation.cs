namespace SmartAccountPortal.Domain;

public enum InvitationState
{
    /// <summary>Sent, waiting for the person to follow it.</summary>
    Pending,

    /// <summary>Followed: the account exists.</summary>
    Accepted,

    /// <summary>Withdrawn by an administrator before it was followed.</summary>
    Revoked,

    /// <summary>Not followed in time (Accounts:InvitationExpiresAfter).</summary>
    Expired,
}

/// <summary>
/// An invitation by e-mail to become a portal user in a role (and, for a partner, in an
/// organisation, possibly as its administrator). Its link carries a random token of which only
/// the SHA-256 is stored; a resend replaces it, so the old link no longer works.
/// </summary>
public sealed class Invitation
{
    private Invitation()
    {
    }

    public static Invitation Create(
        string email, string role, Organisation? organisation, bool administersOrganisation, string language,
        string tokenHash, PortalUser invitedBy, DateTime now, TimeSpan expiresAfter)
    {
        if (role == Roles.Partner ? organisation is null : organisation is not null || administersOrganisation)
        {
            throw new ArgumentException("A partner is invited into an organisation; staff into none.", nameof(organisation));
        }

        return new Invitation
        {
            Email = email,
            Role = role,
            Organisation = organisation,
            AdministersOrganisation = administersOrganisation,
            Language = language,
            TokenHash = tokenHash,
            InvitedById = invitedBy.Id,
            InvitedByEmail = invitedBy.Email ?? "",
            CreatedAt = now,
            SentAt = now,
            ExpiresAt = now + expiresAfter,
        };
    }

    public int Id { get; private set; }

    public string Email { get; private set; } = "";

    public string Role { get; private set; } = "";

    public int? OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    /// <summary>The person will administer their organisation's people.</summary>
    public bool AdministersOrganisation { get; private set; }

    /// <summary>The language the invitation e-mail is written in, and the new account starts with.</summary>
    public string Language { get; private set; } = Localization.Texts.DefaultCulture;

    public string TokenHash { get; private set; } = "";

    public string InvitedById { get; private set; } = "";

    /// <summary>Kept as it was, so the list still says who invited after that account changes.</summary>
    public string InvitedByEmail { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the current link was sent (the first time, or the last resend).</summary>
    public DateTime SentAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? AcceptedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    /// <summary>Concurrency token: of two answers at once, one wins.</summary>
    public int Version { get; private set; }

    public InvitationState StateAt(DateTime now) =>
        AcceptedAt is not null ? InvitationState.Accepted
        : RevokedAt is not null ? InvitationState.Revoked
        : now >= ExpiresAt ? InvitationState.Expired
        : InvitationState.Pending;

    /// <summary>A new link (the old one stops working) with a new expiry; also for an invitation that expired unanswered.</summary>
    public void Resend(string newTokenHash, DateTime now, TimeSpan expiresAfter)
    {
        Require(StateAt(now) is InvitationState.Pending or InvitationState.Expired, "resent");
        TokenHash = newTokenHash;
        SentAt = now;
        ExpiresAt = now + expiresAfter;
        Version++;
    }

    public void Revoke(DateTime now)
    {
        Require(StateAt(now) is InvitationState.Pending or InvitationState.Expired, "revoked");
        RevokedAt = now;
        Version++;
    }

    public void Accept(DateTime now)
    {
        Require(StateAt(now) == InvitationState.Pending, "accepted");
        AcceptedAt = now;
        Version++;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"Invitation {Id} cannot be {action} now.");
        }
    }
}
