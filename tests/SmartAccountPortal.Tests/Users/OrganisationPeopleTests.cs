using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Users;

/// <summary>An organisation administrator manages their own organisation's people, and no other's.</summary>
public sealed class OrganisationPeopleTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Page = "/Organisation/People";

    /// <summary>A signed-in partner who administers a new organisation of their own.</summary>
    private async Task<(HttpClient Client, string Email, string Organisation)> OrganisationAdministratorAsync()
    {
        var organisation = $"Fabrikam {Guid.NewGuid():N}"[..20];
        var (client, email) = await factory.NewOrganisationAdministratorAsync(organisation);
        return (client, email, organisation);
    }

    private async Task<string> LinkAsync(string email)
    {
        while (await factory.SendMailAsync() > 0)
        {
        }

        return new Uri(MailText.Link(factory.MailTo(email).Last().Text, "/Invitation/")).AbsolutePath;
    }

    private static async Task<IHtmlDocument> PressAsync(HttpClient client, IHtmlDocument page, string label)
    {
        var button = page.QuerySelectorAll<IHtmlButtonElement>($"button[aria-label='{label}']").Single();
        using var response = await client.SubmitAsync(button.Form!, button);
        return await client.ReadFollowingAsync(response);
    }

    [Fact]
    public async Task AnOrganisationAdministrator_InvitesAColleague_WhoJoins_AndDeactivatingThemEndsTheirSession()
    {
        var (lead, leadEmail, organisation) = await OrganisationAdministratorAsync();
        var page = await lead.GetPageAsync(Page);
        Assert.Contains($"People of {organisation}", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("/Organisation/People", page.QuerySelector("nav")!.InnerHtml, StringComparison.Ordinal);

        var colleague = $"colleague-{Guid.NewGuid():N}@reseller.example";
        using (var invited = await lead.SubmitAsync(page.Form("#invite-form"), values: new Dictionary<string, string> { ["Input.Email"] = colleague, ["Input.Language"] = "nl" }))
        {
            page = await lead.ReadFollowingAsync(invited);
        }

        Assert.Contains($"The invitation is on its way to {colleague}.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var path = await LinkAsync(colleague);
        Assert.Contains(organisation, factory.MailTo(colleague).Last().Text, StringComparison.Ordinal);
        Assert.Contains(leadEmail, factory.MailTo(colleague).Last().Subject, StringComparison.Ordinal);

        using var joined = factory.CreatePortalClient();
        var open = await joined.GetPageAsync(path);
        using (await joined.SubmitAsync(open.Form("main form"), values: new Dictionary<string, string> { ["Input.Password"] = "a long enough password", ["Input.ConfirmPassword"] = "a long enough password" }))
        {
        }

        using (var requests = await joined.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, requests.StatusCode);
        }

        // The colleague is a partner of the same organisation, not its administrator.
        using (var notAdministrator = await joined.GetAsync(Page))
        {
            Assert.StartsWith("/Identity/Account/AccessDenied", notAdministrator.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        page = await lead.GetPageAsync(Page);
        Assert.Contains(colleague, page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);

        // The list is searched by any part of an address, and filtered by state.
        var found = await lead.GetPageAsync($"{Page}?q={Uri.EscapeDataString(colleague[..20])}");
        Assert.Contains(colleague, found.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(leadEmail, found.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await lead.GetPageAsync($"{Page}?state=deactivated")).QuerySelector("table tbody tr"));
        page = await PressAsync(lead, page, $"Deactivate: {colleague}");
        Assert.Contains($"{colleague} can no longer sign in", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        using (var ended = await joined.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith("/Identity/Account/Login", ended.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        page = await PressAsync(lead, page, $"Reactivate: {colleague}");
        Assert.Contains($"{colleague} can sign in again", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        // Nobody deactivates themselves: the page offers no button, and a forged post is refused.
        Assert.Null(page.QuerySelector($"button[aria-label='Deactivate: {leadEmail}']"));
        var me = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == leadEmail).Select(u => u.Id).SingleAsync());
        var form = page.Form("#invite-form");
        form.Action = $"{Page}?handler=Act&act=deactivate&id={me}";
        using (var self = await lead.SubmitAsync(form))
        {
            Assert.Contains("You cannot deactivate yourself.", (await lead.ReadFollowingAsync(self)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }

        using var stillIn = await lead.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task AnotherOrganisationsPeopleAndInvitations_Answer404_ExactlyLikeOnesThatDoNotExist()
    {
        var (lead, _, _) = await OrganisationAdministratorAsync();
        var (other, otherEmail) = await factory.NewPartnerAsync("Someone Else Ltd");
        var otherId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).Select(u => u.Id).SingleAsync());

        var (otherLead, _, _) = await OrganisationAdministratorAsync();
        var otherPage = await otherLead.GetPageAsync(Page);
        using (await otherLead.SubmitAsync(otherPage.Form("#invite-form"), values: new Dictionary<string, string> { ["Input.Email"] = $"x-{Guid.NewGuid():N}@elsewhere.example", ["Input.Language"] = "en" }))
        {
        }

        var otherInvitation = await factory.WithDbAsync(db => db.Invitations.OrderByDescending(i => i.Id).Select(i => i.Id).FirstAsync());
        var page = await lead.GetPageAsync(Page);
        foreach (var action in new[]
        {
            $"handler=Act&act=deactivate&id={otherId}", $"handler=Act&act=deactivate&id={Guid.NewGuid()}",
            $"handler=Act&act=reactivate&id={otherId}", $"handler=Act&act=unlock&id={otherId}",
            $"handler=Act&act=password-reset&id={otherId}", $"handler=Act&act=reset-two-factor&id={otherId}",
            $"handler=Resend&id={otherInvitation}", $"handler=Resend&id=999999",
            $"handler=Revoke&id={otherInvitation}", $"handler=Revoke&id=999999",
        })
        {
            var form = page.Form("#invite-form");
            form.Action = $"{Page}?{action}";
            using var refused = await lead.SubmitAsync(form);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        // Nothing changed for the other organisation.
        using (var stillIn = await other.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        Assert.Null(await factory.WithDbAsync(db => db.Invitations.Where(i => i.Id == otherInvitation).Select(i => i.RevokedAt).SingleAsync()));

        // A partner who does not administer their organisation reaches none of it.
        using var plain = await other.GetAsync(Page);
        Assert.StartsWith("/Identity/Account/AccessDenied", plain.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }
}
