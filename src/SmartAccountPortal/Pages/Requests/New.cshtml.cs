using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Workflow;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>
/// Request a Smart Account for your customer: the form, the Review Request dialog, and the
/// final submit. Each step validates on the server. The reviewed form is held as a draft so the
/// review is a page reached by GET (post, then redirect): the browser's Back from Complete
/// never posts the form again. No request exists before the final submit.
/// </summary>
public sealed class NewModel(
    PortalDbContext db,
    RequestSubmission submission,
    UserManager<PortalUser> users,
    TimeProvider clock) : PageModel
{
    [BindProperty]
    public RequestInput Input { get; set; } = new();

    /// <summary>
    /// Issued with the review and posted back by its Submit Request button: the same key
    /// twice (a double click, a re-posted form) leads to the one request it created.
    /// </summary>
    [BindProperty]
    public string? SubmissionKey { get; set; }

    /// <summary>Set when the Review Request dialog is to be shown.</summary>
    public RequestDetails? Review { get; private set; }

    /// <summary>Set when a review's address is opened again after its request was submitted (Back from Complete).</summary>
    public string? AlreadySubmitted { get; private set; }

    /// <summary>
    /// The empty form; (Request again) the form filled in from a request that is over; or
    /// (<paramref name="review"/>) the Review Request dialog over a reviewed draft.
    /// </summary>
    public async Task<IActionResult> OnGetAsync(string? from, string? review)
    {
        if (review is not null)
        {
            await ShowDraftAsync(review);
            return Page();
        }

        if (from is null)
        {
            return Page();
        }

        var organisationId = User.GetOrganisationId();
        var previous = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Reference == from && r.OrganisationId == organisationId);
        if (previous is null)
        {
            return NotFound();
        }

        if (!previous.CanBeRequestedAgain)
        {
            return RedirectToPage("Details", new { reference = from });
        }

        Input = new RequestInput
        {
            AccountName = previous.AccountName,
            CustomerEmail = previous.CustomerEmail,
            AccountDomain = previous.AccountDomain,
            NoteToCustomer = previous.NoteToCustomer,
            UserEmails = string.Join("\n", previous.UserEmails),
            NoteToAddedUsers = previous.NoteToAddedUsers,
            CustomerLanguage = previous.CustomerLanguage,
        };
        return Page();
    }

    /// <summary>A form with mistakes comes back with them; a valid one is held as a draft and its review opened by GET.</summary>
    public async Task<IActionResult> OnPostReviewAsync()
    {
        if (!await ValidateAsync())
        {
            return Page();
        }

        var key = NewSubmissionKey();
        db.RequestDrafts.Add(new RequestDraft
        {
            SubmissionKey = key,
            PartnerUserId = users.GetUserId(User)!,
            Values = JsonSerializer.Serialize(Input),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        return RedirectToPage(new { review = key });
    }

    /// <summary>Back from the dialog without JavaScript: the form again, as typed, focus on the button that opened the review.</summary>
    public async Task<IActionResult> OnPostEditAsync()
    {
        ModelState.Clear();
        BackFromReview = true;
        if (IsSubmissionKey(SubmissionKey))
        {
            // That review is over; a new one holds a new draft.
            var partnerId = users.GetUserId(User);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM RequestDrafts WHERE SubmissionKey = {SubmissionKey} AND PartnerUserId = {partnerId}");
        }

        return Page();
    }

    /// <summary>Set when the form is shown again after the review's Back.</summary>
    public bool BackFromReview { get; private set; }

    public async Task<IActionResult> OnPostSubmitAsync()
    {
        // A review posted again (double click, reload) leads to the request it already made,
        // before validation, which would now find the domain taken by that very request.
        var partner = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");
        if (IsSubmissionKey(SubmissionKey) && await submission.FindBySubmissionKeyAsync(SubmissionKey!, partner.Id, HttpContext.RequestAborted) is string done)
        {
            return RedirectToPage("Complete", new { reference = done });
        }

        if (!await ValidateAsync())
        {
            return Page();
        }

        if (!IsSubmissionKey(SubmissionKey))
        {
            // Not posted from a review: review first.
            ShowReview();
            return Page();
        }

        var outcome = await submission.SubmitAsync(partner, partner.Email ?? partner.Id, Input.ToDetails(), SubmissionKey!, HttpContext.RequestAborted);
        switch (outcome)
        {
            case SubmitOutcome.Created created:
                return RedirectToPage("Complete", new { reference = created.Request.Reference });
            case SubmitOutcome.AlreadySubmitted again:
                return RedirectToPage("Complete", new { reference = again.Reference });
            case SubmitOutcome.DomainTaken taken:
                DomainTaken(taken.Domain, taken.Holder);
                return Page();
            default:
                throw new InvalidOperationException("Unknown outcome.");
        }
    }

    private void ShowReview()
    {
        Review = Input.ToDetails();
        SubmissionKey = NewSubmissionKey();
    }

    private static string NewSubmissionKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The review of the partner's draft under <paramref name="key"/>. Once submitted (the
    /// browser's Back from Complete) or gone, the empty form, saying which request it became.
    /// </summary>
    private async Task ShowDraftAsync(string key)
    {
        if (!IsSubmissionKey(key))
        {
            return;
        }

        var partnerId = users.GetUserId(User)!;
        var draft = await db.RequestDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.SubmissionKey == key && d.PartnerUserId == partnerId);
        if (draft is not null && JsonSerializer.Deserialize<RequestInput>(draft.Values) is { } values)
        {
            Input = values;
            Review = Input.ToDetails();
            Input.AccountDomain = InputRules.DisplayDomain(Review.AccountDomain);
            SubmissionKey = key;
            return;
        }

        AlreadySubmitted = await submission.FindBySubmissionKeyAsync(key, partnerId, HttpContext.RequestAborted);
    }

    /// <summary>Checks the form (<see cref="RequestSubmission.CheckAsync"/>); the form then shows the domain as people read it.</summary>
    private async Task<bool> ValidateAsync()
    {
        var check = await submission.CheckAsync(Input, User.GetOrganisationId(), HttpContext.RequestAborted);
        if (!string.IsNullOrWhiteSpace(Input.AccountDomain))
        {
            var shown = InputRules.DisplayDomain(Input.AccountDomain);
            ModelState.SetModelValue($"{nameof(Input)}.{nameof(RequestInput.AccountDomain)}", shown, shown);
        }

        foreach (var problem in check.Problems)
        {
            ModelState.AddModelError($"{nameof(Input)}.{problem.Field}", problem.Message);
        }

        DomainHeldElsewhere = check.DomainHolder is { } holder && holder.OrganisationId != User.GetOrganisationId();
        return ModelState.IsValid;
    }

    /// <summary>The domain is held by another open request: said next to the field (see <see cref="RequestSubmission.DomainTakenMessage"/>).</summary>
    private void DomainTaken(string domain, DomainHolder holder)
    {
        DomainHeldElsewhere = holder.OrganisationId != User.GetOrganisationId();
        ModelState.AddModelError("Input.AccountDomain", RequestSubmission.DomainTakenMessage(domain, holder, User.GetOrganisationId()));
    }

    private static bool IsSubmissionKey(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitUpper);

    /// <summary>True when the domain is held by another organisation's request; the page then links to licensing support.</summary>
    public bool DomainHeldElsewhere { get; private set; }

}
