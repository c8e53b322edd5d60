using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Workflow;

/// <summary>What an action did, in words a page can show.</summary>
public sealed record ActionOutcome(bool Done, string Message)
{
    public static ActionOutcome Success(string message) => new(true, message);

    public static ActionOutcome Refused(string message) => new(false, message);
}

/// <summary>
/// The actions partners and support staff take on a request (resend, cancel, retry a failed
/// e-mail). Each changes the request through its own methods, writes the e-mails it causes,
/// and saves both in one transaction under the request's concurrency token; a change that
/// lost a race is reported, not applied twice.
/// </summary>
public sealed class RequestActions(PortalDbContext db, RequestMailer mailer, TimeProvider clock)
{
    /// <summary>A request with what the actions need, tracked for change.</summary>
    public Task<AccountRequest?> FindAsync(string reference, int? organisationId, CancellationToken cancellationToken) =>
        db.Requests.Include(r => r.PartnerUser).Include(r => r.Organisation)
            .Where(r => r.Reference == reference && (organisationId == null || r.OrganisationId == organisationId))
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<ActionOutcome> ResendAsync(AccountRequest request, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!request.IsOpen(now))
        {
            return ActionOutcome.Refused($"The request is {StateWord(request, now)}: there is no activation e-mail to resend.");
        }

        if (now < request.CanResendAt)
        {
            return ActionOutcome.Refused(
                $"The activation e-mail was sent less than 10 minutes ago. It can be sent again from {Infrastructure.Display.DateTime(request.CanResendAt)}.");
        }

        var (token, hash) = ActivationTokens.Create();
        request.Resend(by, now, hash);
        await mailer.ResentAsync(request, request.PartnerUser!.Email!, request.Organisation!.Name, token, cancellationToken);
        return await SaveAsync($"A new activation e-mail is on its way to {request.CustomerEmail}. The link in the earlier e-mail no longer works.");
    }

    public async Task<ActionOutcome> CancelAsync(AccountRequest request, string by, string? reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (request.Status != RequestStatus.Pending)
        {
            return ActionOutcome.Refused($"The request is {StateWord(request, now)}; only a Pending request can be cancelled.");
        }

        request.Cancel(by, now, reason);
        mailer.Cancelled(request, request.PartnerUser!.Email!, request.Organisation!.Name, reason);
        await mailer.WithdrawLinksAsync(request.Id, cancellationToken);
        return await SaveAsync($"The request was cancelled and {request.CustomerEmail} is being told. The activation link no longer works.");
    }

    /// <summary>Puts a Failed e-mail of the request back in the queue, for a fresh set of attempts.</summary>
    public async Task<ActionOutcome> RetryMailAsync(AccountRequest request, long messageId, string by, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.AccountRequestId == request.Id, cancellationToken);
        if (message is not { Status: OutboxStatus.Failed })
        {
            return ActionOutcome.Refused("Only a failed e-mail can be retried.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        message.Status = OutboxStatus.Pending;
        message.Attempts = 0;
        message.NextAttemptAt = now;
        request.RecordMailRetry(by, now, OutboxSender.Describe(message));
        return await SaveAsync($"{OutboxSender.Describe(message)} is queued again and goes out within a minute.");
    }

    private async Task<ActionOutcome> SaveAsync(string success)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return ActionOutcome.Success(success);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionOutcome.Refused("The request changed while you were acting on it (the customer may have just answered). Nothing was done; check its state below.");
        }
    }

    private static string StateWord(AccountRequest request, DateTime now) =>
        request.Status == RequestStatus.Pending && !request.IsOpen(now) ? "past its expiry" : request.Status.ToString();
}
