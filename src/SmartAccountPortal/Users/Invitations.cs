using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Users;

/// <summary>What became of an invitation asked for: sent, or why not (a text key for the field it concerns).</summary>
public sealed record InvitationResult(Invitation? Sent, string? Field, string? ProblemKey)
{
    public static InvitationResult Refused(string field, string key) => new(null, field, key);
}

/// <summary>
/// Invitations by e-mail: each writes its invitation and its e-mail (through the outbox) in one
/// transaction; the link's token exists only in the e-mail, the invitation keeps its SHA-256.
/// </summary>
public sealed class Invitations(
    PortalDbContext db,
    UserManager<PortalUser> users,
    RequestMailer mailer,
    TimeProvider clock,
    IOptions<AccountsOptions> accounts,
    ILogger<Invitations> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Invites <paramref name="email"/> as <paramref name="role"/>; a partner into
    /// <paramref name="organisation"/> (created when new), or when it is null the inviter's own. An address that already has an
    /// account, or an invitation waiting, is refused and nothing is sent.
    /// </summary>
    public async Task<InvitationResult> InviteAsync(
        PortalUser inviter, string email, string role, string? organisation, bool administersOrganisation, string language, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return InvitationResult.Refused("Email", "Admin.Invite.HasAccount");
        }

        var now = Now;
        var waiting = await db.Invitations.AsNoTracking()
            .Where(i => i.Email == email && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .AnyAsync(cancellationToken);
        if (waiting)
        {
            return InvitationResult.Refused("Email", "Admin.Invite.AlreadyInvited");
        }

        Organisation? joins = null;
        if (role == Roles.Partner)
        {
            // An organisation administrator invites into their own organisation: the inviter's.
            var name = organisation?.Trim();
            joins = name is null
                ? await db.Organisations.SingleAsync(o => o.Id == inviter.OrganisationId, cancellationToken)
                : await db.Organisations.SingleOrDefaultAsync(o => o.Name == name, cancellationToken) ?? new Organisation(name);
        }

        var (token, hash) = ActivationTokens.Create();
        var invitation = Invitation.Create(email, role, joins, role == Roles.Partner && administersOrganisation, language, hash, inviter, now, accounts.Value.InvitationExpiresAfter);
        db.Invitations.Add(invitation);
        db.AuditEntries.Add(new AuditEntry(now, inviter, AuditAction.Invited, null, email, joins, AuditLog.RoleValue(role, joins?.Name, invitation.AdministersOrganisation)));
        await mailer.InvitationAsync(invitation, joins?.Name, token);
        await db.SaveChangesAsync(cancellationToken);
        Log.InvitationChanged(logger, invitation.Id, "sent", role);
        return new InvitationResult(invitation, null, null);
    }

    /// <summary>A new link and expiry, by e-mail again; the old link no longer works. Null when it can no longer be resent.</summary>
    public async Task<Invitation?> ResendAsync(int id, PortalUser by, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.Include(i => i.Organisation).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation?.StateAt(Now) is not (InvitationState.Pending or InvitationState.Expired))
        {
            return null;
        }

        var (token, hash) = ActivationTokens.Create();
        invitation.Resend(hash, Now, accounts.Value.InvitationExpiresAfter);
        db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.InvitationResent, null, invitation.Email, invitation.OrganisationId, null));
        await WithdrawUnsentAsync(invitation, cancellationToken);
        await mailer.InvitationAsync(invitation, invitation.Organisation?.Name, token);
        await db.SaveChangesAsync(cancellationToken);
        Log.InvitationChanged(logger, invitation.Id, "resent", invitation.Role);
        return invitation;
    }

    /// <summary>Withdraws an invitation not yet followed: its link then says so. Null when there is none to withdraw.</summary>
    public async Task<Invitation?> RevokeAsync(int id, PortalUser by, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation?.StateAt(Now) is not (InvitationState.Pending or InvitationState.Expired))
        {
            return null;
        }

        invitation.Revoke(Now);
        db.AuditEntries.Add(new AuditEntry(Now, by, AuditAction.InvitationRevoked, null, invitation.Email, invitation.OrganisationId, null));
        await WithdrawUnsentAsync(invitation, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Log.InvitationChanged(logger, invitation.Id, "revoked", invitation.Role);
        return invitation;
    }

    /// <summary>What the pages say after a resend or a withdrawal: done (<paramref name="doneKey"/>, with the address), or that it was already followed or withdrawn.</summary>
    public static string Told(Invitation? changed, string doneKey) =>
        changed is null ? Localization.Texts.Get("Admin.Invitations.Gone") : Localization.Texts.Format(doneKey, changed.Email);

    /// <summary>
    /// An earlier invitation e-mail to the same address still waiting in the outbox (its link is
    /// dead now) is not sent; one an instance is sending right now is left to it. Saved with the
    /// caller's change.
    /// </summary>
    private async Task WithdrawUnsentAsync(Invitation invitation, CancellationToken cancellationToken)
    {
        var now = Now;
        var waiting = await db.OutboxMessages
            .Where(m => m.Kind == MailKind.Invitation && m.To == invitation.Email && m.Status == OutboxStatus.Pending
                        && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ToListAsync(cancellationToken);
        foreach (var message in waiting)
        {
            MailChannel.Withdraw(message);
        }
    }
}
