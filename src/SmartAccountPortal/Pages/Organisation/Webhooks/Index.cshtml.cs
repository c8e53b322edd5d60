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
/// An organisation administrator's webhook endpoints: the list, and the form that adds one
/// (an HTTPS address, a description, the events it wants). The new endpoint's signing secret is
/// shown once, on the answer to the form.
/// </summary>
public sealed class IndexModel(WebhookEndpoints endpoints, UserManager<PortalUser> users) : PageModel
{
    public IReadOnlyList<WebhookEndpointRow> Endpoints { get; private set; } = [];

    /// <summary>The endpoint just added and its secret, in clear: on this one answer only.</summary>
    public (int Id, string Secret)? Added { get; private set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<string> Events { get; set; } = [];

    [TempData]
    public string? StatusMessage { get; set; }

    private int Organisation => User.GetOrganisationId()!.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // A new endpoint starts with every event ticked.
        Events = WebhookEvents.TypesIn(WebhookEvents.Every).ToList();
        Endpoints = await endpoints.ListAsync(Organisation, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var url = WebhookFields.CheckUrl(ModelState, nameof(Address), Address, endpoints);
        var description = WebhookFields.CheckDescription(ModelState, nameof(Description), Description);
        var events = WebhookFields.CheckEvents(ModelState, nameof(Events), Events);
        if (ModelState.ErrorCount == 0 && await endpoints.CountAsync(Organisation, cancellationToken) >= WebhookEndpoints.MaxPerOrganisation)
        {
            ModelState.AddModelError(string.Empty, Texts.Format("Webhooks.TooMany", WebhookEndpoints.MaxPerOrganisation));
        }

        if (ModelState.ErrorCount == 0)
        {
            var (endpoint, secret) = await endpoints.CreateAsync(Organisation, url, description, events, (await users.GetUserAsync(User))!, cancellationToken);
            Added = (endpoint.Id, secret);
            Address = null;
            Description = null;
            Events = WebhookEvents.TypesIn(WebhookEvents.Every).ToList();

            // The secret is in this answer only: nothing may keep a copy.
            Response.Headers.CacheControl = "no-store";
        }

        Endpoints = await endpoints.ListAsync(Organisation, cancellationToken);
        return Page();
    }
}
