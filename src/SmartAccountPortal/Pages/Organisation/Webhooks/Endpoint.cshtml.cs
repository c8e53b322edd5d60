using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Pages.Organisation.Webhooks;

/// <summary>
/// One of the organisation's webhook endpoints: its state and events (changeable), its secret
/// (rotated here, the new one shown once), Pause, Resume, Delete, Send test event, and its
/// delivery log with Redeliver. Another organisation's endpoint answers 404.
/// </summary>
public sealed class EndpointModel(WebhookEndpoints endpoints, UserManager<PortalUser> users) : PageModel
{
    public WebhookEndpoint Endpoint { get; private set; } = null!;

    public IReadOnlyList<WebhookDeliveryRow> Deliveries { get; private set; } = [];

    public Paging Paging { get; private set; } = new(1, 0);

    /// <summary>The secret just made by a rotation, in clear: on this one answer only.</summary>
    public string? NewSecret { get; private set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<string> Events { get; set; } = [];

    [TempData]
    public string? StatusMessage { get; set; }

    private int Organisation => User.GetOrganisationId()!.Value;

    public async Task<IActionResult> OnGetAsync(int id, int? p, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        await ShowAsync(p, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostEventsAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async by =>
    {
        ModelState.Clear();
        var description = WebhookFields.CheckDescription(ModelState, nameof(Description), Description);
        var events = WebhookFields.CheckEvents(ModelState, nameof(Events), Events);
        if (ModelState.ErrorCount > 0)
        {
            await LoadDeliveriesAsync(null, cancellationToken);
            return Page();
        }

        await endpoints.ChangeAsync(Endpoint, events, description, by, cancellationToken);
        return Done("Webhooks.Changed");
    }, cancellationToken);

    public Task<IActionResult> OnPostRotateAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async by =>
    {
        NewSecret = await endpoints.RotateAsync(Endpoint, by, cancellationToken);

        // The secret is in this answer only: nothing may keep a copy.
        Response.Headers.CacheControl = "no-store";
        await ShowAsync(null, cancellationToken);
        return Page();
    }, cancellationToken);

    public Task<IActionResult> OnPostPauseAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async by =>
    {
        await endpoints.PauseAsync(Endpoint, by, cancellationToken);
        return Done("Webhooks.PausedNow");
    }, cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async by =>
    {
        await endpoints.ResumeAsync(Endpoint, by, cancellationToken);
        return Done("Webhooks.Resumed");
    }, cancellationToken);

    public Task<IActionResult> OnPostTestAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async _ =>
    {
        await endpoints.SendTestAsync(Endpoint, cancellationToken);
        return Done(Endpoint.IsPaused ? "Webhooks.TestHeld" : "Webhooks.TestQueued");
    }, cancellationToken);

    public Task<IActionResult> OnPostRedeliverAsync(int id, long delivery, CancellationToken cancellationToken) => ActAsync(id, async _ =>
        Done(await endpoints.RedeliverAsync(Endpoint, delivery, cancellationToken) ? "Webhooks.Redelivering" : "Webhooks.CannotRedeliver"), cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken) => ActAsync(id, async by =>
    {
        await endpoints.DeleteAsync(Endpoint, by, cancellationToken);
        StatusMessage = Texts.Get("Webhooks.Deleted");
        return RedirectToPage("Index");
    }, cancellationToken);

    /// <summary>Loads the organisation's endpoint (404 otherwise) and acts on it as the signed-in administrator.</summary>
    private async Task<IActionResult> ActAsync(int id, Func<PortalUser, Task<IActionResult>> act, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return await act((await users.GetUserAsync(User))!);
    }

    private RedirectToPageResult Done(string message)
    {
        StatusMessage = Texts.Get(message);
        return RedirectToPage(new { id = Endpoint.Id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        Endpoint = (await endpoints.FindAsync(id, Organisation, cancellationToken))!;
        return Endpoint is not null;
    }

    /// <summary>The endpoint's form as saved, and a page of its log.</summary>
    private async Task ShowAsync(int? page, CancellationToken cancellationToken)
    {
        Description = Endpoint.Description;
        Events = WebhookEvents.TypesIn(Endpoint.Events).ToList();
        await LoadDeliveriesAsync(page, cancellationToken);
    }

    private async Task LoadDeliveriesAsync(int? page, CancellationToken cancellationToken)
    {
        var (paging, rows) = await endpoints.DeliveriesAsync(Endpoint.Id, page, cancellationToken);
        Paging = paging;
        Deliveries = rows;
    }
}
