using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Api;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Validation;

namespace SmartAccountPortal.Pages.Organisation;

/// <summary>
/// An organisation administrator's API keys: make one (named; shown once, on the answer to the
/// form, never again), see each with its first characters, who made it, when, and its last use,
/// and revoke it. Another organisation's key answers 404.
/// </summary>
public sealed class ApiKeysModel(ApiKeys keys, UserManager<PortalUser> users) : PageModel
{
    public IReadOnlyList<ApiKeyRow> Keys { get; private set; } = [];

    /// <summary>The key just made, in clear: on this one answer only.</summary>
    public string? NewKey { get; private set; }

    [BindProperty]
    [Display(Name = "ApiKeys.Name")]
    public string? Name { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    private int Organisation => User.GetOrganisationId()!.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(Organisation, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = (Name ?? "").Trim();
        if (name.Length == 0)
        {
            ModelState.AddModelError(nameof(Name), Texts.Get("ApiKeys.EnterName"));
        }
        else if (name.Length > ApiKey.NameMax || InputRules.HasControlCharacters(name))
        {
            ModelState.AddModelError(nameof(Name), Texts.Format("ApiKeys.NameRules", ApiKey.NameMax));
        }

        if (ModelState.ErrorCount == 0)
        {
            (_, NewKey) = await keys.CreateAsync(Organisation, name, (await users.GetUserAsync(User))!, cancellationToken);
            Name = null;
            ModelState.Clear();

            // The key is in this answer only: nothing may keep a copy.
            Response.Headers.CacheControl = "no-store";
        }

        Keys = await keys.ListAsync(Organisation, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(id, Organisation, (await users.GetUserAsync(User))!, cancellationToken))
        {
            return NotFound();
        }

        StatusMessage = Texts.Get("ApiKeys.Revoked");
        return RedirectToPage();
    }
}
