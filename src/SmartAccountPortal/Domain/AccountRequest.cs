namespace SmartAccountPortal.Domain;

/// <summary>
/// A partner's request for a customer's Smart Account. It owns its state: every change goes
/// through a method that refuses what the current state does not allow and records the event.
/// </summary>
public sealed class AccountRequest
{
    /// <summary>How long a customer has to accept a request, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultExpiresAfter = TimeSpan.FromDays(90);

    /// <summary>
    /// The least time between two activation links for one request, so nobody floods a customer,
    /// unless configured otherwise (Requests:ResendInterval).
    /// </summary>
    public static readonly TimeSpan DefaultResendInterval = TimeSpan.FromMinutes(10);

    private readonly List<RequestEvent> events = [];

    private AccountRequest()
    {
    }

    public int Id { get; private set; }

    /// <summary>Short, random, human-readable: SA-7KQ2M9XD. Reveals nothing about counts.</summary>
    public string Reference { get; private set; } = "";

    public string AccountName { get; private set; } = "";

    public string CustomerEmail { get; private set; } = "";

    /// <summary>Lower-case DNS name.</summary>
    public string AccountDomain { get; private set; } = "";

    public string? NoteToCustomer { get; private set; }

    public IReadOnlyList<string> UserEmails { get; private set; } = [];

    public string? NoteToAddedUsers { get; private set; }

    /// <summary>The language the customer and the added users are written to in ("en", "it", "nl").</summary>
    public string CustomerLanguage { get; private set; } = Localization.Texts.DefaultCulture;

    public string PartnerUserId { get; private set; } = "";

    public PortalUser? PartnerUser { get; private set; }

    public int OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    public RequestStatus Status { get; private set; }

    public DateTime SubmittedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    /// <summary>When the request left Pending (activated, declined, cancelled or expired).</summary>
    public DateTime? ClosedAt { get; private set; }

    /// <summary>The key of the review form that created it, so a re-posted form creates nothing new.</summary>
    public string SubmissionKey { get; private set; } = "";

    /// <summary>
    /// SHA-256 of the current activation token, as hex. The token itself is never stored on
    /// the request; it lives only in the (encrypted) outbox rows of the e-mails that carry it.
    /// </summary>
    public string ActivationTokenHash { get; private set; } = "";

    /// <summary>When the current activation link was issued (at submit, or by the last resend).</summary>
    public DateTime LinkIssuedAt { get; private set; }

    /// <summary>Bumped by every state change; the database refuses a change made from a stale copy.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<RequestEvent> Events => events;

    public static AccountRequest Submit(
        string reference,
        RequestDetails details,
        PortalUser partner,
        string submissionKey,
        string activationTokenHash,
        DateTime now,
        TimeSpan expiresAfter,
        string? actor = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiresAfter, TimeSpan.Zero);
        if (partner.OrganisationId is not int organisationId)
        {
            throw new InvalidOperationException("Only a partner with an organisation can submit a request.");
        }

        var request = new AccountRequest
        {
            Reference = reference,
            AccountName = details.AccountName,
            CustomerEmail = details.CustomerEmail,
            AccountDomain = details.AccountDomain,
            NoteToCustomer = details.NoteToCustomer,
            UserEmails = details.UserEmails,
            NoteToAddedUsers = details.NoteToAddedUsers,
            CustomerLanguage = details.CustomerLanguage,
            PartnerUserId = partner.Id,
            OrganisationId = organisationId,
            Status = RequestStatus.Pending,
            SubmittedAt = now,
            ExpiresAt = now + expiresAfter,
            SubmissionKey = submissionKey,
            ActivationTokenHash = activationTokenHash,
            LinkIssuedAt = now,
        };
        request.Record(RequestEventKind.Submitted, actor ?? partner.Email ?? partner.Id, now, null);
        return request;
    }

    public void Activate(DateTime now) =>
        Close(RequestStatus.Active, RequestEventKind.Activated, "activated", CustomerEmail, now, null);

    public void Decline(DateTime now, string? reason) =>
        Close(RequestStatus.Declined, RequestEventKind.Declined, "declined", CustomerEmail, now, reason);

    public void Cancel(string by, DateTime now, string? reason) =>
        Close(RequestStatus.Cancelled, RequestEventKind.Cancelled, "cancelled", by, now, reason);

    /// <summary>The vendor's licensing support withdraws the request; their reason is for the partner and the history.</summary>
    public void CancelBySupport(string by, DateTime now, string reason) =>
        Close(RequestStatus.Cancelled, RequestEventKind.CancelledBySupport, "cancelled", by, now, reason);

    /// <summary>
    /// Expires this request. The background service applies the same rule (still Pending, past its
    /// expiry time) set-based, many requests a statement: <see cref="Data.PortalDbContext.ExpireOverdueAsync"/>.
    /// </summary>
    public void Expire(DateTime now)
    {
        if (now < ExpiresAt)
        {
            throw new InvalidOperationException($"Request {Reference} does not expire before {ExpiresAt:O}.");
        }

        Close(RequestStatus.Expired, RequestEventKind.Expired, "expired", RequestEvent.SystemActor, now, null);
    }

    /// <summary>
    /// The earliest time a new activation link may be sent: <paramref name="interval"/> after the
    /// last, or at once when the last one never arrived (the mail server refused it).
    /// </summary>
    public DateTime CanResendAt(TimeSpan interval, bool lastLinkFailed) => lastLinkFailed ? LinkIssuedAt : LinkIssuedAt + interval;

    /// <summary>
    /// A new activation link replaces the current one (which stops working at once). Only while
    /// the customer can still act, and not before <see cref="CanResendAt"/>.
    /// </summary>
    public void Resend(string by, DateTime now, string newTokenHash, TimeSpan interval, bool lastLinkFailed)
    {
        if (!IsOpen(now))
        {
            throw new InvalidTransitionException(Reference, Status == RequestStatus.Pending ? RequestStatus.Expired : Status, "resent");
        }

        var earliest = CanResendAt(interval, lastLinkFailed);
        if (now < earliest)
        {
            throw new InvalidOperationException($"Request {Reference} had a link sent at {LinkIssuedAt:O}; the next may go at {earliest:O}.");
        }

        ActivationTokenHash = newTokenHash;
        LinkIssuedAt = now;
        Record(RequestEventKind.Resent, by, now, null);
    }

    /// <summary>Records that <paramref name="by"/> put a failed e-mail back in the queue.</summary>
    public void RecordMailRetry(string by, DateTime now, string what) => Record(RequestEventKind.MailRetried, by, now, what);

    /// <summary>Pending and not past its expiry: the customer can still act on it.</summary>
    public bool IsOpen(DateTime now) => Status == RequestStatus.Pending && now < ExpiresAt;

    /// <summary>Over without an account (expired, declined, cancelled): the partner may ask again, the form filled in from this one.</summary>
    public bool CanBeRequestedAgain => Status is RequestStatus.Expired or RequestStatus.Declined or RequestStatus.Cancelled;

    private void Close(RequestStatus to, RequestEventKind kind, string action, string actor, DateTime now, string? detail)
    {
        if (Status != RequestStatus.Pending)
        {
            throw new InvalidTransitionException(Reference, Status, action);
        }

        // A customer cannot act on a request whose time has run out, even before the
        // background service has marked it Expired.
        if (to is RequestStatus.Active or RequestStatus.Declined && now >= ExpiresAt)
        {
            throw new InvalidTransitionException(Reference, RequestStatus.Expired, action);
        }

        Status = to;
        ClosedAt = now;
        Record(kind, actor, now, detail);
    }

    private void Record(RequestEventKind kind, string actor, DateTime at, string? detail)
    {
        events.Add(new RequestEvent(kind, actor, at, detail));
        Version++;
    }
}
