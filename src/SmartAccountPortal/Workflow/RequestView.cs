using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Workflow;

/// <summary>Everything a request's page shows: its fields, history and e-mails.</summary>
public sealed record RequestView(
    AccountRequest Request,
    string Organisation,
    string PartnerEmail,
    IReadOnlyList<RequestEvent> History,
    IReadOnlyList<OutboxMessage> Mail,
    bool ForStaff)
{
    /// <summary>Whether the newest activation e-mail was refused for good, so a new link may go at once.</summary>
    public bool LastLinkFailed => LastLinkFailedIn(Mail);

    /// <summary>When the partner or support may send a new link.</summary>
    public DateTime CanResendAt(TimeSpan interval) => Request.CanResendAt(interval, LastLinkFailed);

    /// <summary>
    /// The newest activation e-mail when it failed for good while the customer could still act
    /// on it: the request's page explains what happened and what to do.
    /// </summary>
    public OutboxMessage? FailedLink =>
        Request.Status == RequestStatus.Pending && NewestActivation(Mail) is { Status: OutboxStatus.Failed } failed ? failed : null;

    internal static bool LastLinkFailedIn(IEnumerable<OutboxMessage> mail) => NewestActivation(mail) is { Status: OutboxStatus.Failed };

    private static OutboxMessage? NewestActivation(IEnumerable<OutboxMessage> mail) =>
        mail.Where(m => m.Kind == MailKind.Activation).MaxBy(m => m.Id);

    /// <summary>
    /// The request with that reference; for a partner (<paramref name="organisationId"/> set)
    /// only within their organisation, so another's answers exactly like one that does not exist.
    /// </summary>
    public static async Task<RequestView?> LoadAsync(PortalDbContext db, string reference, int? organisationId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking()
            .Include(r => r.Organisation).Include(r => r.PartnerUser).Include(r => r.Events)
            .Where(r => r.Reference == reference && (organisationId == null || r.OrganisationId == organisationId))
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return null;
        }

        var mail = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.AccountRequestId == request.Id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        return new RequestView(
            request,
            request.Organisation!.Name,
            request.PartnerUser!.Email!,
            request.Events.OrderBy(e => e.At).ThenBy(e => e.Id).ToList(),
            mail,
            organisationId is null);
    }

    /// <summary>One line of history, in the reader's language.</summary>
    public static string Describe(RequestEvent entry) => entry.Kind switch
    {
        RequestEventKind.Submitted => Texts.Get("History.Submitted"),
        RequestEventKind.Activated => Texts.Get("History.Activated"),
        RequestEventKind.Declined => entry.Detail is null ? Texts.Get("History.Declined") : Texts.Format("History.DeclinedBecause", entry.Detail),
        RequestEventKind.Cancelled => entry.Detail is null ? Texts.Get("History.Cancelled") : Texts.Format("History.CancelledBecause", entry.Detail),
        RequestEventKind.CancelledBySupport => Texts.Format("History.CancelledBySupport", entry.Detail ?? ""),
        RequestEventKind.Expired => Texts.Get("History.Expired"),
        RequestEventKind.Resent => Texts.Get("History.Resent"),
        RequestEventKind.MailSent => Texts.Format("History.MailSent", MailEvent.Describe(entry.Detail)),
        RequestEventKind.MailFailed => Texts.Format("History.MailFailed", MailEvent.Describe(entry.Detail)),
        RequestEventKind.MailRetried => Texts.Format("History.MailRetried", MailEvent.Describe(entry.Detail)),
        _ => entry.Kind.ToString(),
    };

    /// <summary>Who acted: a person's address, or the portal itself in words.</summary>
    public static string Actor(RequestEvent entry) =>
        entry.Actor == RequestEvent.SystemActor ? Texts.Get("Actor.System") : entry.Actor;

    /// <summary>An e-mail's delivery state, in words.</summary>
    public static string Describe(OutboxMessage message) => message.Status switch
    {
        OutboxStatus.Sent => Texts.Get("Delivery.Sent"),
        OutboxStatus.Failed => Texts.Get(MailFailure.AddressRefused(message) ? "Delivery.FailedRefused" : "Delivery.FailedNotSent"),
        OutboxStatus.Cancelled => Texts.Get("Delivery.Withdrawn"),
        _ when message.Attempts > 0 => Texts.Format(message.Attempts == 1 ? "Delivery.RetryingOnce" : "Delivery.Retrying", message.Attempts),
        _ => Texts.Get("Delivery.Waiting"),
    };

    /// <summary>A state's name in the reader's language.</summary>
    public static string State(RequestStatus status) => Texts.Get("State." + status);

    /// <summary>When a request closed, in words, or when it expires; a closed request never "expires".</summary>
    public static string Closing(AccountRequest request) => Closing(request.Status, request.ExpiresAt, request.ClosedAt);

    /// <inheritdoc cref="Closing(AccountRequest)"/>
    public static string Closing(RequestStatus status, DateTime expiresAt, DateTime? closedAt) => status switch
    {
        RequestStatus.Pending => Texts.Format("Closing.Expires", Infrastructure.Display.Date(expiresAt)),
        _ => Texts.Format("Closing." + status, Infrastructure.Display.Date(closedAt ?? expiresAt)),
    };
}
