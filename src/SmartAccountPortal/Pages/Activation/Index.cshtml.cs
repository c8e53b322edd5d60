using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Activation;

/// <summary>
/// The customer's page behind the activation link. GET (and HEAD) only show: mail scanners
/// open links, and must consume nothing. Only a POST with its antiforgery token activates or
/// declines, and it does so under the request's concurrency token, so of two clicks at once
/// exactly one wins and the other is shown the result.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Activation)]
[ResponseCache(Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel(
    PortalDbContext db,
    RequestMailer mailer,
    SmartAccountPortal.Webhooks.WebhookPublisher webhooks,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PortalOptions> portal,
    ILogger<IndexModel> logger) : PageModel
{
    private static readonly DeclineValidator Validator = new();

    public enum View
    {
        Open,
        ConfirmDecline,
        JustActivated,
        AlreadyActive,
        JustDeclined,
        AlreadyDeclined,
        Cancelled,
        Expired,
        Unknown,
    }

    public View Shown { get; private set; }

    public AccountRequest? Account { get; private set; }

    public string Organisation => Account?.Organisation?.Name ?? "";

    /// <summary>Where an active Smart Account is managed, when configured (Portal:AccountManagementUrl).</summary>
    public Uri? AccountManagementUrl => portal.Value.AccountManagementUrl;

    [BindProperty]
    public DeclineInput Decline { get; set; } = new();

    /// <summary>Set by a successful answer, read once by the page it redirects to.</summary>
    [TempData]
    public string? Answered { get; set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        Account = await FindAsync(token, tracked: false);
        return Show();
    }

    public Task<IActionResult> OnPostActivateAsync(string token) => AnswerAsync(token, activate: true);

    /// <summary>The first step of declining: the reason is checked, and the customer is asked to confirm. Nothing changes yet.</summary>
    public async Task<IActionResult> OnPostDeclineAsync(string token)
    {
        Account = await FindAsync(token, tracked: false);
        if (Account is null || !await DeclineIsValidAsync())
        {
            return Show();
        }

        var page = Show();
        if (Shown == View.Open)
        {
            Shown = View.ConfirmDecline;
        }

        return page;
    }

    public Task<IActionResult> OnPostDeclineConfirmedAsync(string token) => AnswerAsync(token, activate: false);

    private async Task<bool> DeclineIsValidAsync()
    {
        var result = await Validator.ValidateAsync(Decline);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError($"{nameof(Decline)}.{error.PropertyName}", error.ErrorMessage);
        }

        return result.IsValid;
    }

    private async Task<IActionResult> AnswerAsync(string token, bool activate)
    {
        Account = await FindAsync(token, tracked: true);
        if (Account is null)
        {
            return Show();
        }

        if (!activate && !await DeclineIsValidAsync())
        {
            return Show();
        }

        // A conflict means something else changed the request or one of its e-mails in the
        // meantime. If the request is still open (an e-mail was being claimed), answer again on
        // fresh data; if it closed (the other click, or expiry, won), the page shows that.
        for (var attempt = 1; attempt <= 3 && Account is not null && Account.IsOpen(clock.GetUtcNow().UtcDateTime); attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var reason = InputRules.NormaliseNote(Decline.Reason);
            if (activate)
            {
                Account.Activate(now);
                await mailer.ActivatedAsync(Account, Sender.Of(Account.PartnerUser!, Organisation));
                await webhooks.PublishAsync(Account, SmartAccountPortal.Webhooks.WebhookEvent.Activated, HttpContext.RequestAborted);
            }
            else
            {
                Account.Decline(now, reason);
                await mailer.DeclinedAsync(Account, Sender.Of(Account.PartnerUser!, Organisation), reason);
                await webhooks.PublishAsync(Account, SmartAccountPortal.Webhooks.WebhookEvent.Declined, HttpContext.RequestAborted);
            }

            await mailer.WithdrawLinksAsync(Account.Id, HttpContext.RequestAborted);
            try
            {
                await db.SaveChangesAsync();
                Answered = Account.Status.ToString();
                Log.CustomerAnswered(logger, Account.Reference, activate ? "activated" : "declined");
                break;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                Account = await FindAsync(token, tracked: true);
            }
        }

        // Post, then redirect: the page shows the request as it now stands.
        return RedirectToPage(new { token });
    }

    private async Task<AccountRequest?> FindAsync(string token, bool tracked)
    {
        if (!ActivationTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = ActivationTokens.Hash(token);
        var query = db.Requests.Include(r => r.Organisation).Include(r => r.PartnerUser).Where(r => r.ActivationTokenHash == hash);
        return await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync();
    }

    private PageResult Show()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var answered = Answered;
        Shown = Account switch
        {
            null => View.Unknown,
            { Status: RequestStatus.Active } => answered == nameof(RequestStatus.Active) ? View.JustActivated : View.AlreadyActive,
            { Status: RequestStatus.Declined } => answered == nameof(RequestStatus.Declined) ? View.JustDeclined : View.AlreadyDeclined,
            { Status: RequestStatus.Cancelled } => View.Cancelled,
            { Status: RequestStatus.Expired } => View.Expired,
            _ when !Account.IsOpen(now) => View.Expired,
            _ => View.Open,
        };

        // An unknown link looks like the others, but says 404.
        if (Shown == View.Unknown)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public sealed class DeclineInput
    {
        [Display(Name = "Field.ReasonOptional")]
        public string? Reason { get; set; }
    }

    public sealed class DeclineValidator : AbstractValidator<DeclineInput>
    {
        public DeclineValidator() => RuleFor(x => x.Reason).IsNote("Subject.Reason");
    }
}
