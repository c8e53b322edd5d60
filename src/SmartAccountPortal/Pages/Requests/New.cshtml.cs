using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Data.Configurations;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Requests;

/// <summary>
/// Request a Smart Account for your customer: the form, the Review Request dialog, and the
/// final submit. Each step validates on the server. The reviewed form is held as a draft so the
/// review is a page reached by GET (post, then redirect): the browser's Back from Complete
/// never posts the form again. No request exists before the final submit.
/// </summary>
public sealed class NewModel(
    PortalDbContext db,
    RequestMailer mailer,
    UserManager<PortalUser> users,
    TimeProvider clock,
    IOptions<RequestOptions> options,
    ILogger<NewModel> logger) : PageModel
{
    private static readonly InputValidator Validator = new();

    [BindProperty]
    public InputModel Input { get; set; } = new();

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

        Input = new InputModel
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
        if (IsSubmissionKey(SubmissionKey) && await FindBySubmissionKeyAsync(SubmissionKey!, partner.Id) is string done)
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

        var details = Input.ToDetails();
        var organisation = await db.Organisations.Where(o => o.Id == partner.OrganisationId).Select(o => o.Name).SingleAsync();
        for (var attempt = 1; ; attempt++)
        {
            // The request and the e-mails it causes are saved together, or not at all.
            var (token, tokenHash) = ActivationTokens.Create();
            var request = AccountRequest.Submit(
                ReferenceGenerator.Next(), details, partner, SubmissionKey!, tokenHash, clock.GetUtcNow().UtcDateTime, options.Value.ExpiresAfter);
            db.Requests.Add(request);
            await mailer.SubmittedAsync(request, Sender.Of(partner, organisation), token);
            // The draft goes with the submit that uses it, in the same transaction.
            if (await db.RequestDrafts.SingleOrDefaultAsync(d => d.SubmissionKey == SubmissionKey && d.PartnerUserId == partner.Id) is { } draft)
            {
                db.RequestDrafts.Remove(draft);
            }

            try
            {
                await db.SaveChangesAsync();
                Log.RequestSubmitted(logger, request.Reference, request.AccountDomain);
                return RedirectToPage("Complete", new { reference = request.Reference });
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A unique index refused the row: the same form posted twice at once, the
                // domain taken a moment ago, or (rarely) a reference drawn twice.
                db.ChangeTracker.Clear();
                if (await FindBySubmissionKeyAsync(SubmissionKey!, partner.Id) is string raced)
                {
                    return RedirectToPage("Complete", new { reference = raced });
                }

                if (await DomainHolderAsync(details.AccountDomain) is { } holder)
                {
                    DomainTaken(details.AccountDomain, holder);
                    return Page();
                }
            }
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
        if (draft is not null && JsonSerializer.Deserialize<InputModel>(draft.Values) is { } values)
        {
            Input = values;
            Review = Input.ToDetails();
            Input.AccountDomain = InputRules.DisplayDomain(Review.AccountDomain);
            SubmissionKey = key;
            return;
        }

        AlreadySubmitted = await FindBySubmissionKeyAsync(key, partnerId);
    }

    private async Task<bool> ValidateAsync()
    {
        Normalise();
        var result = await Validator.ValidateAsync(Input);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        // Whether the domain is free is told in the same round as every other problem.
        if (!result.Errors.Any(e => e.PropertyName == nameof(InputModel.AccountDomain)))
        {
            var domain = InputRules.NormaliseDomain(Input.AccountDomain!);
            if (await DomainHolderAsync(domain) is { } holder)
            {
                DomainTaken(domain, holder);
            }
        }

        return ModelState.IsValid;
    }

    /// <summary>
    /// The domain and the customer's address in their stored form (a pasted web address made the
    /// bare domain, an internationalised one in ASCII), and the form shows the domain as people read it.
    /// </summary>
    private void Normalise()
    {
        if (!string.IsNullOrWhiteSpace(Input.AccountDomain))
        {
            Input.AccountDomain = InputRules.NormaliseDomain(Input.AccountDomain);
            var shown = InputRules.DisplayDomain(Input.AccountDomain);
            ModelState.SetModelValue($"{nameof(Input)}.{nameof(InputModel.AccountDomain)}", shown, shown);
        }

        if (!string.IsNullOrWhiteSpace(Input.CustomerEmail))
        {
            Input.CustomerEmail = InputRules.NormaliseEmail(Input.CustomerEmail);
        }
    }

    /// <summary>The open (Pending or Active) request that holds the domain, if any.</summary>
    private Task<DomainHolder?> DomainHolderAsync(string domain) =>
        db.Requests.AsNoTracking()
            .Where(r => r.AccountDomain == domain && (r.Status == RequestStatus.Pending || r.Status == RequestStatus.Active))
            .Select(r => new DomainHolder(r.Reference, r.Status, r.OrganisationId))
            .FirstOrDefaultAsync();

    /// <summary>
    /// One open request per domain, but only the organisation that holds it learns which request
    /// and in what state; any other is told only that the domain cannot be requested now, and
    /// where to ask (support sees who holds it).
    /// </summary>
    private void DomainTaken(string domain, DomainHolder holder)
    {
        var own = holder.OrganisationId == User.GetOrganisationId();
        DomainHeldElsewhere = !own;
        ModelState.AddModelError("Input.AccountDomain", DomainTakenMessage(domain, own ? holder : null));
    }

    private Task<string?> FindBySubmissionKeyAsync(string key, string partnerId) =>
        db.Requests.Where(r => r.SubmissionKey == key && r.PartnerUserId == partnerId)
            .Select(r => r.Reference)
            .FirstOrDefaultAsync();

    private static bool IsSubmissionKey(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitUpper);

    internal static string DomainTakenMessage(string domain, DomainHolder? ownRequest) => ownRequest switch
    {
        null => Texts.Format("Request.DomainHeldElsewhere", domain),
        { Status: RequestStatus.Active } => Texts.Format("Request.DomainActiveOwn", domain, ownRequest.Reference),
        _ => Texts.Format("Request.DomainPendingOwn", domain, ownRequest.Reference),
    };

    /// <summary>True when the domain is held by another organisation's request; the page then links to licensing support.</summary>
    public bool DomainHeldElsewhere { get; private set; }

    internal sealed record DomainHolder(string Reference, RequestStatus Status, int OrganisationId);

    public sealed class InputModel
    {
        [Display(Name = "Field.AccountName")]
        public string? AccountName { get; set; }

        [Display(Name = "Field.CustomerEmail")]
        public string? CustomerEmail { get; set; }

        [Display(Name = "Field.AccountDomain")]
        public string? AccountDomain { get; set; }

        [Display(Name = "Field.NoteToCustomer")]
        public string? NoteToCustomer { get; set; }

        [Display(Name = "Field.UserEmails")]
        public string? UserEmails { get; set; }

        [Display(Name = "Field.NoteToAddedUsers")]
        public string? NoteToAddedUsers { get; set; }

        /// <summary>"en", "it", "nl", or empty for "guess it from the domain".</summary>
        [Display(Name = "Field.CustomerLanguage")]
        public string? CustomerLanguage { get; set; }

        /// <summary>The values as they are stored: trimmed, domain lower-case, addresses split and de-duplicated.</summary>
        public RequestDetails ToDetails() => new(
            AccountName!.Trim(),
            CustomerEmail!.Trim(),
            InputRules.NormaliseDomain(AccountDomain!),
            InputRules.NormaliseNote(NoteToCustomer),
            InputRules.SplitEmails(UserEmails),
            InputRules.NormaliseNote(NoteToAddedUsers),
            string.IsNullOrEmpty(CustomerLanguage)
                ? Texts.GuessLanguage(InputRules.NormaliseDomain(AccountDomain!), Texts.CurrentLanguage)
                : CustomerLanguage);
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public const int MaxUserEmails = 50;

        public InputValidator()
        {
            RuleFor(x => x.AccountName).Cascade(CascadeMode.Stop)
                .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.AccountNameMissing"))
                .Must(v => v!.Trim().Length <= AccountRequestConfiguration.AccountNameMax)
                .WithMessage(_ => Texts.Format("Request.AccountNameTooLong", AccountRequestConfiguration.AccountNameMax))
                .Must(v => !InputRules.HasControlCharacters(v)).WithMessage(_ => Texts.Get("Request.AccountNameControl"));

            RuleFor(x => x.CustomerEmail).Cascade(CascadeMode.Stop)
                .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.CustomerEmailMissing"))
                .Must(v => v!.Trim().Length <= InputRules.EmailMaxLength)
                .WithMessage(_ => Texts.Format("Request.CustomerEmailTooLong", InputRules.EmailMaxLength))
                .Must(v => !InputRules.HasEscapes(v)).WithMessage(_ => Texts.Get("Request.EmailEscaped"))
                .Must(v => InputRules.IsEmail(v!.Trim())).WithMessage(_ => Texts.Get("Request.CustomerEmailInvalid"))
                .Must((input, v) => !InputRules.IsDomain(input.AccountDomain?.Trim()) || InputRules.IsInDomain(v!.Trim(), input.AccountDomain!))
                .WithMessage(input => Texts.Format("Request.CustomerEmailOutsideDomain", InputRules.NormaliseDomain(input.AccountDomain!)));

            RuleFor(x => x.AccountDomain).Cascade(CascadeMode.Stop)
                .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage(_ => Texts.Get("Request.DomainMissing"))
                .Must(v => v!.Trim().Length <= InputRules.DomainMaxLength)
                .WithMessage(_ => Texts.Format("Request.DomainTooLong", InputRules.DomainMaxLength))
                .Must(v => InputRules.IsDomain(v!.Trim()))
                .WithMessage(_ => Texts.Get("Request.DomainInvalid"));

            RuleFor(x => x.UserEmails).Custom((value, context) =>
            {
                var addresses = InputRules.SplitEmails(value);
                var invalid = addresses.Where(a => !InputRules.IsEmail(a)).ToList();
                if (invalid.Count > 0)
                {
                    context.AddFailure(invalid.Count == 1
                        ? Texts.Format("Request.UserEmailInvalid", invalid[0])
                        : Texts.Format("Request.UserEmailsInvalid", string.Join(", ", invalid)));
                }

                if (addresses.Count > MaxUserEmails)
                {
                    context.AddFailure(Texts.Format("Request.TooManyUserEmails", MaxUserEmails, addresses.Count));
                }
            });

            RuleFor(x => x.CustomerLanguage)
                .Must(v => string.IsNullOrEmpty(v) || Texts.Languages.Contains(v, StringComparer.Ordinal))
                .WithMessage(_ => Texts.Get("Request.LanguageInvalid"));

            RuleFor(x => x.NoteToCustomer).IsNote("Subject.NoteToCustomer");
            RuleFor(x => x.NoteToAddedUsers).IsNote("Subject.NoteToAddedUsers");
        }
    }
}
