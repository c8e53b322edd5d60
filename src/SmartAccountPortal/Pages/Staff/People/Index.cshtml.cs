using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Pages.Staff.People;

/// <summary>
/// Everyone who uses the portal, for staff: searched by address or organisation, filtered by
/// state (invited, active, locked, deactivated), with role, two-factor and last sign-in; each
/// person's page is one click away. Support reads; Administrators also act, on the person's page.
/// </summary>
public sealed class IndexModel(PeopleDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>One of <see cref="PeopleDirectory.States"/>; anything else shows every state.</summary>
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public IReadOnlyList<InvitedRow> Invited { get; private set; } = [];

    public bool ShowsInvited => State is null or "" or PeopleDirectory.Invited || !PeopleDirectory.States.Contains(State);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var state = PeopleDirectory.States.Contains(State ?? "") ? State : null;
        (People, Paging) = await directory.PeopleAsync(Q, state, organisationId: null, PageNumber, cancellationToken);
        if (ShowsInvited)
        {
            Invited = await directory.InvitedAsync(Q, organisationId: null, cancellationToken);
        }
    }
}
