using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Api;

/// <summary>A new request, as the API takes it: the form's fields, the users' addresses as a list.</summary>
public sealed record NewRequestBody(
    string? AccountName,
    string? CustomerEmail,
    string? AccountDomain,
    string? NoteToCustomer,
    IReadOnlyList<string>? UserEmails,
    string? NoteToAddedUsers,
    string? CustomerLanguage);

/// <summary>A request in a list, and in a webhook's event.</summary>
public sealed record RequestSummary(
    string Reference, string AccountName, string AccountDomain, string CustomerEmail, string CustomerLanguage,
    string State, DateTime SubmittedAt, DateTime ExpiresAt, DateTime? ClosedAt)
{
    public static RequestSummary Of(AccountRequest r) =>
        new(r.Reference, r.AccountName, r.AccountDomain, r.CustomerEmail, r.CustomerLanguage, StateName(r.Status), r.SubmittedAt, r.ExpiresAt, r.ClosedAt);

    /// <summary>A state as the API names it: "pending", "activated".</summary>
    public static string StateName(RequestStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>One entry of a request's history.</summary>
public sealed record RequestHistoryEntry(string Kind, string Actor, DateTime At, string? Detail);

/// <summary>One e-mail the request caused, and how its delivery stands.</summary>
public sealed record RequestEmail(string Kind, string To, string Delivery, int Attempts, DateTime? SentAt);

/// <summary>A request with everything the partner's own page shows.</summary>
public sealed record RequestDocument(
    string Reference, string AccountName, string AccountDomain, string CustomerEmail, string CustomerLanguage,
    string State, DateTime SubmittedAt, DateTime ExpiresAt, DateTime? ClosedAt,
    string? NoteToCustomer, IReadOnlyList<string> UserEmails, string? NoteToAddedUsers, string Partner,
    IReadOnlyList<RequestHistoryEntry> History, IReadOnlyList<RequestEmail> Emails);

/// <summary>A page of requests, newest first; <see cref="NextCursor"/> fetches the next, null at the end.</summary>
public sealed record RequestPage(IReadOnlyList<RequestSummary> Items, string? NextCursor);

/// <summary>Why a request is cancelled (optional), told to the customer.</summary>
public sealed record CancelBody(string? Reason);

/// <summary>
/// <c>/api/v1/requests</c>: a partner's systems do what the partner does in the browser, through
/// the same code (<see cref="RequestSubmission"/>, <see cref="RequestActions"/>), held to the same
/// rules, scoped to the key's organisation (another organisation's request is 404 like a missing one).
/// </summary>
public static class RequestsApi
{
    public const int MaxPageSize = 100;

    private static readonly Pages.Requests.CancelModel.InputValidator ReasonRules = new();

    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/requests")
            .RequireAuthorization(ApiServices.Policy)
            .RequireRateLimiting(ApiServices.RateLimit)
            .WithTags("Requests")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("", SubmitAsync).WithName("SubmitRequest").WithSummary("Request a Smart Account for a customer")
            .WithDescription("The same fields, rules and messages (in the language of Accept-Language) as the request form. An Idempotency-Key header makes a retried call return the first result.");
        group.MapGet("", ListAsync).WithName("ListRequests").WithSummary("The organisation's requests, newest first");
        group.MapGet("/{reference}", GetAsync).WithName("GetRequest").WithSummary("One request with its history and e-mails");
        group.MapPost("/{reference}/resend", ResendAsync).WithName("ResendRequest").WithSummary("Send the customer a new activation link");
        group.MapPost("/{reference}/cancel", CancelAsync).WithName("CancelRequest").WithSummary("Withdraw a Pending request");
        return routes;
    }

    private static int OrganisationOf(ClaimsPrincipal caller) => caller.GetOrganisationId()!.Value;

    private static async Task<Results<Created<RequestDocument>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        NewRequestBody body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal caller,
        PortalDbContext db,
        RequestSubmission submission,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > 255 })
        {
            return ApiProblems.Of(StatusCodes.Status400BadRequest, "Api.Problem.IdempotencyKey");
        }

        var input = new RequestInput
        {
            AccountName = body.AccountName,
            CustomerEmail = body.CustomerEmail,
            AccountDomain = body.AccountDomain,
            NoteToCustomer = body.NoteToCustomer,
            UserEmails = body.UserEmails is null ? null : string.Join("\n", body.UserEmails),
            NoteToAddedUsers = body.NoteToAddedUsers,
            CustomerLanguage = body.CustomerLanguage,
        };
        // Stored forms first: a retried call compares them with its first request.
        input.Normalise();

        var organisation = OrganisationOf(caller);
        var partner = await db.Users.SingleAsync(u => u.Id == caller.FindFirstValue(ApiKeyAuthentication.CreatorClaim), cancellationToken);
        if (partner.OrganisationId != organisation)
        {
            // Its maker has moved to another organisation (their keys were revoked then): never submit into the wrong one.
            return ApiProblems.Of(StatusCodes.Status403Forbidden, "Api.Problem.Forbidden");
        }
        var key = idempotencyKey is null
            ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16))
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(caller.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) + "\n" + idempotencyKey)))[..32];

        // A retried call finds its request before the checks, which would now find the domain taken by it.
        if (await submission.FindBySubmissionKeyAsync(key, partner.Id, cancellationToken) is string earlier)
        {
            return await ReplayAsync(db, earlier, input, organisation, cancellationToken);
        }

        var errors = (await submission.CheckAsync(input, organisation, cancellationToken)).Problems
            .GroupBy(p => JsonName(p.Field))
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var outcome = await submission.SubmitAsync(partner, caller.Identity!.Name!, input.ToDetails(), key, cancellationToken);
        return outcome switch
        {
            SubmitOutcome.Created created => Created(await DocumentAsync(db, created.Request.Reference, organisation, cancellationToken)),
            SubmitOutcome.AlreadySubmitted again => await ReplayAsync(db, again.Reference, input, organisation, cancellationToken),
            SubmitOutcome.DomainTaken taken => ApiProblems.Invalid(new Dictionary<string, string[]>
            {
                ["accountDomain"] = [RequestSubmission.DomainTakenMessage(taken.Domain, taken.Holder, organisation)],
            }),
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }

    /// <summary>The first result again for a retried call; a different request under the same key is refused.</summary>
    private static async Task<Results<Created<RequestDocument>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        PortalDbContext db, string reference, RequestInput input, int organisation, CancellationToken cancellationToken)
    {
        var document = await DocumentAsync(db, reference, organisation, cancellationToken);
        var details = input.AccountName is null || input.AccountDomain is null || input.CustomerEmail is null ? null : input.ToDetails();
        var same = details is not null
            && details.AccountName == document!.AccountName && details.AccountDomain == document.AccountDomain
            && details.CustomerEmail == document.CustomerEmail && details.NoteToCustomer == document.NoteToCustomer
            && details.NoteToAddedUsers == document.NoteToAddedUsers && details.UserEmails.SequenceEqual(document.UserEmails)
            && (string.IsNullOrEmpty(input.CustomerLanguage) || input.CustomerLanguage == document.CustomerLanguage);
        return same
            ? Created(document!)
            : ApiProblems.Of(StatusCodes.Status422UnprocessableEntity, "Api.Problem.IdempotencyKeyReused");
    }

    private static Created<RequestDocument> Created(RequestDocument? document) =>
        TypedResults.Created("/api/v1/requests/" + document!.Reference, document);

    private static async Task<Results<Ok<RequestPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal caller,
        PortalDbContext db,
        string? state,
        string? q,
        [FromQuery(Name = "updated_since")] DateTimeOffset? updatedSince,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        RequestStatus? status = null;
        if (state is not null)
        {
            if (!Enum.TryParse<RequestStatus>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return ApiProblems.Of(StatusCodes.Status400BadRequest, "Api.Problem.State", string.Join(", ", Enum.GetNames<RequestStatus>().Select(n => n.ToLowerInvariant())));
            }

            status = parsed;
        }

        var take = Math.Clamp(limit ?? 25, 1, MaxPageSize);
        int? after = null;
        if (cursor is not null)
        {
            if (!int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                return ApiProblems.Of(StatusCodes.Status400BadRequest, "Api.Problem.Cursor");
            }

            after = id;
        }

        var requests = new RequestFilter(OrganisationOf(caller), status, q).Apply(db);
        if (updatedSince is DateTimeOffset since)
        {
            var from = since.UtcDateTime;
            requests = requests.Where(r => r.SubmittedAt >= from || r.ClosedAt >= from || r.Events.Any(e => e.At >= from));
        }

        if (after is int last)
        {
            requests = requests.Where(r => r.Id < last);
        }

        var rows = await requests.OrderByDescending(r => r.Id).Take(take + 1)
            .Select(r => new { r.Id, Summary = new RequestSummary(r.Reference, r.AccountName, r.AccountDomain, r.CustomerEmail, r.CustomerLanguage, r.Status.ToString(), r.SubmittedAt, r.ExpiresAt, r.ClosedAt) })
            .ToListAsync(cancellationToken);
        var items = rows.Take(take).Select(r => r.Summary with { State = r.Summary.State.ToLowerInvariant() }).ToList();
        var next = rows.Count > take ? rows[take - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new RequestPage(items, next));
    }

    private static async Task<Results<Ok<RequestDocument>, ProblemHttpResult>> GetAsync(
        string reference, ClaimsPrincipal caller, PortalDbContext db, CancellationToken cancellationToken) =>
        await DocumentAsync(db, reference, OrganisationOf(caller), cancellationToken) is { } document
            ? TypedResults.Ok(document)
            : ApiProblems.NotFound();

    private static Task<Results<Ok<RequestDocument>, ProblemHttpResult>> ResendAsync(
        string reference, ClaimsPrincipal caller, PortalDbContext db, RequestActions actions, CancellationToken cancellationToken) =>
        ActAsync(reference, caller, db, actions, request => actions.ResendAsync(request, caller.Identity!.Name!, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<RequestDocument>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        string reference, CancelBody? body, ClaimsPrincipal caller, PortalDbContext db, RequestActions actions, CancellationToken cancellationToken)
    {
        // The cancel page's own rules and messages.
        var check = await ReasonRules.ValidateAsync(new Pages.CancelRequestModel.ReasonInput { Reason = body?.Reason }, cancellationToken);
        if (!check.IsValid)
        {
            return ApiProblems.Invalid(new Dictionary<string, string[]> { ["reason"] = check.Errors.Select(e => e.ErrorMessage).ToArray() });
        }

        var reason = InputRules.NormaliseNote(body?.Reason);

        return (await ActAsync(reference, caller, db, actions, request => actions.CancelAsync(request, caller.Identity!.Name!, reason, cancellationToken), cancellationToken)).Result switch
        {
            Ok<RequestDocument> done => done,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unknown result."),
        };
    }

    /// <summary>Does an action on one of the organisation's requests: its document when done, 409 with the page's message when refused.</summary>
    private static async Task<Results<Ok<RequestDocument>, ProblemHttpResult>> ActAsync(
        string reference, ClaimsPrincipal caller, PortalDbContext db, RequestActions actions,
        Func<AccountRequest, Task<ActionOutcome>> act, CancellationToken cancellationToken)
    {
        var organisation = OrganisationOf(caller);
        if (await actions.FindAsync(reference, organisation, cancellationToken) is not { } request)
        {
            return ApiProblems.NotFound();
        }

        var outcome = await act(request);
        if (!outcome.Done)
        {
            return ApiProblems.Of(StatusCodes.Status409Conflict, "Api.Problem.Refused", outcome.Message);
        }

        db.ChangeTracker.Clear();
        return TypedResults.Ok((await DocumentAsync(db, reference, organisation, cancellationToken))!);
    }

    /// <summary>One of the organisation's requests with its history and e-mails, or null.</summary>
    private static async Task<RequestDocument?> DocumentAsync(PortalDbContext db, string reference, int organisation, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().Include(r => r.Events).Include(r => r.PartnerUser)
            .SingleOrDefaultAsync(r => r.Reference == reference && r.OrganisationId == organisation, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var emails = await db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == request.Id).OrderBy(m => m.Id)
            .Select(m => new RequestEmail(m.Kind.ToString(), m.To, m.Status.ToString(), m.Attempts, m.SentAt))
            .ToListAsync(cancellationToken);
        return new RequestDocument(
            request.Reference, request.AccountName, request.AccountDomain, request.CustomerEmail, request.CustomerLanguage,
            request.Status.ToString().ToLowerInvariant(), request.SubmittedAt, request.ExpiresAt, request.ClosedAt,
            request.NoteToCustomer, request.UserEmails, request.NoteToAddedUsers, request.PartnerUser?.Email ?? "",
            request.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new RequestHistoryEntry(e.Kind.ToString(), e.Actor, e.At, e.Detail)).ToList(),
            emails.Select(e => e with { Kind = e.Kind.ToLowerInvariant(), Delivery = e.Delivery.ToLowerInvariant() }).ToList());
    }

    /// <summary>A form field's name as the API's JSON names it ("AccountDomain" → "accountDomain").</summary>
    private static string JsonName(string property) =>
        property.Length == 0 ? property : char.ToLowerInvariant(property[0]) + property[1..];
}
