using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

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

    /// <summary>One line of history, in words.</summary>
    public static string Describe(RequestEvent entry) => entry.Kind switch
    {
        RequestEventKind.Submitted => "Request submitted",
        RequestEventKind.Activated => "Activated by the customer",
        RequestEventKind.Declined => entry.Detail is null ? "Declined by the customer" : $"Declined by the customer: \u201c{entry.Detail}\u201d",
        RequestEventKind.Cancelled => entry.Detail is null ? "Cancelled" : $"Cancelled: \u201c{entry.Detail}\u201d",
        RequestEventKind.Expired => "Expired: not accepted in time",
        RequestEventKind.Resent => "Activation e-mail resent with a new link",
        RequestEventKind.MailSent => $"E-mail sent: {entry.Detail}",
        RequestEventKind.MailFailed => $"E-mail failed: {entry.Detail}",
        RequestEventKind.MailRetried => $"Failed e-mail queued again: {entry.Detail}",
        _ => entry.Kind.ToString(),
    };

    /// <summary>An e-mail's state, in words.</summary>
    public static string Describe(OutboxMessage message) => message.Status switch
    {
        OutboxStatus.Sent => "Sent",
        OutboxStatus.Failed => "Failed",
        OutboxStatus.Cancelled => "Withdrawn (no longer needed)",
        _ when message.Attempts > 0 => $"Retrying ({message.Attempts} failed attempt{(message.Attempts == 1 ? "" : "s")})",
        _ => "Waiting to be sent",
    };

    /// <summary>When a request closed, in words, or when it expires.</summary>
    public static string Closing(AccountRequest request) => request.Status switch
    {
        RequestStatus.Pending => "Expires " + Infrastructure.Display.Date(request.ExpiresAt),
        _ => $"{request.Status} " + Infrastructure.Display.Date(request.ClosedAt ?? request.ExpiresAt),
    };
}
