using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Workflow;

/// <summary>The open (Pending or Active) request that holds a domain.</summary>
public sealed record DomainHolder(string Reference, RequestStatus Status, int OrganisationId);

/// <summary>A problem with one field of a request (its property name on <see cref="RequestInput"/>), in the reader's language.</summary>
public sealed record RequestProblem(string Field, string Message);

/// <summary>What checking a request found: its problems, and the open request holding its domain, if one does.</summary>
public sealed record RequestCheck(IReadOnlyList<RequestProblem> Problems, DomainHolder? DomainHolder)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>What became of a submission.</summary>
public abstract record SubmitOutcome
{
    /// <summary>The request now exists, Pending, its activation e-mail in the outbox.</summary>
    public sealed record Created(AccountRequest Request) : SubmitOutcome;

    /// <summary>The same submission key was used before (a double click, a retried call): its request.</summary>
    public sealed record AlreadySubmitted(string Reference) : SubmitOutcome;

    /// <summary>Another open request holds the domain.</summary>
    public sealed record DomainTaken(string Domain, DomainHolder Holder) : SubmitOutcome;
}

/// <summary>
/// Submits a request: the one piece of code the request form and the API both call. The request,
/// its activation e-mail and the removal of the reviewed draft are saved together, or not at all.
/// A submission key makes a repeated submission find the request it already created.
/// </summary>
public sealed class RequestSubmission(
    PortalDbContext db,
    RequestMailer mailer,
    Webhooks.WebhookPublisher webhooks,
    TimeProvider clock,
    IOptions<RequestOptions> options,
    ILogger<RequestSubmission> logger)
{
    private static readonly RequestInputValidator Rules = new();

    /// <summary>
    /// Normalises <paramref name="input"/> (<see cref="RequestInput.Normalise"/>) and checks it:
    /// every rule, and in the same round whether the domain is free (told as
    /// <see cref="DomainTakenMessage"/> says, from <paramref name="organisationId"/>'s side).
    /// </summary>
    public async Task<RequestCheck> CheckAsync(RequestInput input, int? organisationId, CancellationToken cancellationToken)
    {
        input.Normalise();
        var problems = (await Rules.ValidateAsync(input, cancellationToken)).Errors
            .Select(e => new RequestProblem(e.PropertyName, e.ErrorMessage)).ToList();
        DomainHolder? holder = null;
        if (!problems.Any(p => p.Field == nameof(RequestInput.AccountDomain))
            && await DomainHolderAsync(input.AccountDomain!, cancellationToken) is { } found)
        {
            holder = found;
            problems.Add(new RequestProblem(nameof(RequestInput.AccountDomain), DomainTakenMessage(input.AccountDomain!, found, organisationId)));
        }

        return new RequestCheck(problems, holder);
    }

    /// <summary>
    /// Submits <paramref name="details"/> for <paramref name="partner"/>'s organisation, recorded in
    /// the history as done by <paramref name="actor"/> (the partner's address, or "API key …").
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(
        PortalUser partner, string actor, RequestDetails details, string submissionKey, CancellationToken cancellationToken)
    {
        if (await FindBySubmissionKeyAsync(submissionKey, partner.Id, cancellationToken) is string done)
        {
            return new SubmitOutcome.AlreadySubmitted(done);
        }

        var organisation = await db.Organisations.Where(o => o.Id == partner.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var (token, tokenHash) = ActivationTokens.Create();
            var request = AccountRequest.Submit(
                ReferenceGenerator.Next(), details, partner, submissionKey, tokenHash, clock.GetUtcNow().UtcDateTime, options.Value.ExpiresAfter, actor);
            db.Requests.Add(request);
            await mailer.SubmittedAsync(request, Sender.Of(partner, organisation), token);
            await webhooks.PublishAsync(request, Webhooks.WebhookEvent.Submitted, cancellationToken);
            if (await db.RequestDrafts.SingleOrDefaultAsync(d => d.SubmissionKey == submissionKey && d.PartnerUserId == partner.Id, cancellationToken) is { } draft)
            {
                db.RequestDrafts.Remove(draft);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Log.RequestSubmitted(logger, request.Reference, request.AccountDomain);
                return new SubmitOutcome.Created(request);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A unique index refused the row: the same submission twice at once, the domain
                // taken a moment ago, or (rarely) a reference drawn twice.
                db.ChangeTracker.Clear();
                if (await FindBySubmissionKeyAsync(submissionKey, partner.Id, cancellationToken) is string raced)
                {
                    return new SubmitOutcome.AlreadySubmitted(raced);
                }

                if (await DomainHolderAsync(details.AccountDomain, cancellationToken) is { } holder)
                {
                    return new SubmitOutcome.DomainTaken(details.AccountDomain, holder);
                }
            }
        }
    }

    /// <summary>The open (Pending or Active) request that holds the domain, if any.</summary>
    public Task<DomainHolder?> DomainHolderAsync(string domain, CancellationToken cancellationToken) =>
        db.Requests.AsNoTracking()
            .Where(r => r.AccountDomain == domain && (r.Status == RequestStatus.Pending || r.Status == RequestStatus.Active))
            .Select(r => new DomainHolder(r.Reference, r.Status, r.OrganisationId))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The reference of the request <paramref name="partnerId"/> made with this submission key, if any.</summary>
    public Task<string?> FindBySubmissionKeyAsync(string key, string partnerId, CancellationToken cancellationToken) =>
        db.Requests.Where(r => r.SubmissionKey == key && r.PartnerUserId == partnerId)
            .Select(r => r.Reference)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// One open request per domain, but only the organisation that holds it learns which request
    /// and in what state; any other is told only that the domain cannot be requested now, and
    /// where to ask (support sees who holds it).
    /// </summary>
    public static string DomainTakenMessage(string domain, DomainHolder holder, int? organisationId) =>
        holder.OrganisationId != organisationId ? Texts.Format("Request.DomainHeldElsewhere", domain)
        : holder.Status == RequestStatus.Active ? Texts.Format("Request.DomainActiveOwn", domain, holder.Reference)
        : Texts.Format("Request.DomainPendingOwn", domain, holder.Reference);
}
