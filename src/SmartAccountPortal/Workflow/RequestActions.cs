using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;

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
public sealed class RequestActions(PortalDbContext db, RequestMailer mailer, Webhooks.WebhookPublisher webhooks, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Infrastructure.RequestOptions> options)
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
            return ActionOutcome.Refused(Texts.Format("Action.NothingToResend", StateWord(request, now)));
        }

        var activations = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Activation)
            .OrderByDescending(m => m.Id).Take(1).ToListAsync(cancellationToken);
        var lastLinkFailed = RequestView.LastLinkFailedIn(activations);
        var interval = options.Value.ResendInterval;
        var canResendAt = request.CanResendAt(interval, lastLinkFailed);
        if (now < canResendAt)
        {
            return ActionOutcome.Refused(Texts.Format("Action.ResendTooSoon", Infrastructure.Display.DateTime(canResendAt)));
        }

        var (token, hash) = ActivationTokens.Create();
        request.Resend(by, now, hash, interval, lastLinkFailed);
        await mailer.ResentAsync(request, SenderOf(request), token, cancellationToken);
        return await SaveAsync(Texts.Format("Action.Resent", request.CustomerEmail));
    }

    /// <summary>The partner withdraws their request; the customer hears it from them, with their reason if they gave one.</summary>
    public Task<ActionOutcome> CancelAsync(AccountRequest request, string by, string? reason, CancellationToken cancellationToken) =>
        CloseAsync(request, now =>
        {
            request.Cancel(by, now, reason);
            return mailer.CancelledAsync(request, SenderOf(request), reason);
        }, cancellationToken);

    /// <summary>
    /// Licensing support withdraws a request: the customer hears it from the vendor's licensing
    /// support, without the internal reason; the partner hears it with the reason.
    /// </summary>
    public Task<ActionOutcome> CancelAsSupportAsync(AccountRequest request, string by, string reason, CancellationToken cancellationToken) =>
        CloseAsync(request, now =>
        {
            request.CancelBySupport(by, now, reason);
            return mailer.CancelledBySupportAsync(request, SenderOf(request), reason);
        }, cancellationToken);

    private async Task<ActionOutcome> CloseAsync(AccountRequest request, Func<DateTime, Task> cancel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (request.Status != RequestStatus.Pending)
        {
            return ActionOutcome.Refused(Texts.Format("Action.CannotCancel", StateWord(request, now)));
        }

        await cancel(now);
        await webhooks.PublishAsync(request, Webhooks.WebhookEvent.Cancelled, cancellationToken);
        await mailer.WithdrawLinksAsync(request.Id, cancellationToken);
        return await SaveAsync(Texts.Format("Action.Cancelled", request.CustomerEmail));
    }

    /// <summary>Puts a Failed e-mail of the request back in the queue, for a fresh set of attempts.</summary>
    public async Task<ActionOutcome> RetryMailAsync(AccountRequest request, long messageId, string by, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.AccountRequestId == request.Id, cancellationToken);
        if (message is not { Status: OutboxStatus.Failed })
        {
            return ActionOutcome.Refused(Texts.Get("Action.OnlyFailedRetried"));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        message.Requeue(now);
        request.RecordMailRetry(by, now, MailEvent.Detail(message));
        return await SaveAsync(Texts.Format("Action.Retried", MailEvent.Describe(message.Kind, message.To)));
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
            return ActionOutcome.Refused(Texts.Get("Action.Conflict"));
        }
    }

    private static Sender SenderOf(AccountRequest request) => Sender.Of(request.PartnerUser!, request.Organisation!.Name);

    private static string StateWord(AccountRequest request, DateTime now) =>
        request.Status == RequestStatus.Pending && !request.IsOpen(now) ? Texts.Get("Action.PastExpiry") : RequestView.State(request.Status);
}
