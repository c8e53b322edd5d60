using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Tests.Users;

/// <summary>
/// Administrators manage people and organisations in the browser, every action recorded; Support
/// reads the same pages without their actions; organisations may require two-factor sign-in.
/// </summary>
public sealed class PeopleAdministrationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string SetUp = "/Identity/Account/Manage/EnableAuthenticator";

    private Task<string> IdOfAsync(string email) =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static async Task<IHtmlDocument> PressAsync(HttpClient client, IHtmlDocument page, string text)
    {
        var button = page.QuerySelectorAll<IHtmlButtonElement>("main button").Single(b => b.TextContent.Trim() == text);
        using var response = await client.SubmitAsync(button.Form!, button);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await client.ReadFollowingAsync(response);
    }

    private static string MainText(IHtmlDocument page) => page.QuerySelector("main")!.TextContent;

    [Fact]
    public async Task AnAdministrator_UnlocksResetsDeactivatesAndReactivates_AndEveryActionIsRecorded()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var organisation = $"Audit Resellers {Guid.NewGuid():N}";
        var (partner, partnerEmail) = await factory.NewPartnerAsync(organisation);
        var id = await IdOfAsync(partnerEmail);
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(id))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        var person = $"/Staff/People/Person/{id}";
        var page = await admin.GetPageAsync(person);
        Assert.Contains("Locked after wrong passwords", MainText(page), StringComparison.Ordinal);

        page = await PressAsync(admin, page, "Unlock");
        Assert.Contains($"{partnerEmail} can sign in again at once", MainText(page), StringComparison.Ordinal);
        Assert.Null(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LockoutEnd).SingleAsync()));

        page = await PressAsync(admin, page, "Send a password reset");
        Assert.Contains($"An e-mail with a link to choose a new password is on its way to {partnerEmail}.", MainText(page), StringComparison.Ordinal);
        while (await factory.SendMailAsync() > 0)
        {
        }

        var reset = MailText.Link(factory.MailTo(partnerEmail).Last().Text, "/Identity/Account/ResetPassword?code=");
        using (var resetPage = await partner.GetAsync(new Uri(reset).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, resetPage.StatusCode);
        }

        page = await PressAsync(admin, page, "Deactivate");
        Assert.Contains("Deactivated", page.QuerySelector("dl")!.TextContent, StringComparison.Ordinal);
        using (var ended = await partner.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        }

        page = await PressAsync(admin, page, "Reactivate");
        Assert.Contains("Active", page.QuerySelector("dl")!.TextContent, StringComparison.Ordinal);

        // The person's page lists what was done, newest first, by whom.
        var history = page.QuerySelectorAll("main section:last-of-type tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(4, history.Count);
        Assert.All(history, row => Assert.Contains(adminEmail, row, StringComparison.Ordinal));
        Assert.Contains("Reactivated", history[0], StringComparison.Ordinal);
        Assert.Contains("Deactivated", history[1], StringComparison.Ordinal);
        Assert.Contains("Password reset sent", history[2], StringComparison.Ordinal);
        Assert.Contains("Unlocked", history[3], StringComparison.Ordinal);

        // So does the audit list, searched by the person, and its CSV.
        var audit = await admin.GetPageAsync($"/Admin/Audit?q={Uri.EscapeDataString(partnerEmail)}");
        Assert.Contains("4 entries", audit.QuerySelector(".count")!.TextContent, StringComparison.Ordinal);
        using var csv = await admin.GetAsync($"/Admin/Audit?handler=Export&q={Uri.EscapeDataString(partnerEmail)}&separator=comma");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("When (", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        Assert.EndsWith($",{adminEmail},Unlocked,{partnerEmail}", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministrator_ChangesARole_TheSessionEnds_AndTheChangeIsRecordedInBothLanguages()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var organisation = $"Moving Partners {Guid.NewGuid():N}";
        var (partner, partnerEmail) = await factory.NewPartnerAsync(organisation);
        var id = await IdOfAsync(partnerEmail);
        var page = await admin.GetPageAsync($"/Staff/People/Person/{id}");

        // A partner needs an organisation; staff have none: said next to the field.
        using (var refused = await admin.SubmitAsync(page.Form("#role-form"), values: new Dictionary<string, string>
        {
            ["Input.Role"] = Roles.Support,
            ["Input.Organisation"] = organisation,
        }))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var again = await Html.ReadAsync(refused);
            Assert.Contains("belong to no organisation", again.QuerySelector("#Input_Organisation-error")!.TextContent, StringComparison.Ordinal);
        }

        using (var changed = await admin.SubmitAsync(page.Form("#role-form"), values: new Dictionary<string, string>
        {
            ["Input.Role"] = Roles.Support,
            ["Input.Organisation"] = "",
        }))
        {
            page = await admin.ReadFollowingAsync(changed);
        }

        Assert.Contains($"The role of {partnerEmail} was changed", MainText(page), StringComparison.Ordinal);
        Assert.Contains("Licensing support", page.QuerySelector("dl")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Role changed from Partner of {organisation} to Licensing support", MainText(page), StringComparison.Ordinal);
        using (var ended = await partner.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        }

        Assert.Null(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.OrganisationId).SingleAsync()));

        // The audit list reads in the reader's language.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/Admin/Audit?q={Uri.EscapeDataString(partnerEmail)}");
        request.Headers.AcceptLanguage.ParseAdd("it");
        using var response = await admin.SendAsync(request);
        var italian = await Html.ReadAsync(response);
        Assert.Contains($"Ruolo cambiato da Partner di {organisation} a Supporto licenze", MainText(italian), StringComparison.Ordinal);
        Assert.Contains(adminEmail, MainText(italian), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyActsOnThemselves_NorDemotesOrDeactivatesTheLastAdministrator()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var me = await IdOfAsync(adminEmail);
        var page = await admin.GetPageAsync($"/Staff/People/Person/{me}");
        Assert.Null(page.QuerySelector("#role-form"));
        Assert.Empty(page.QuerySelectorAll("main button[name=act]"));

        // Forged posts are refused with a message, and nothing changes.
        var search = page.QuerySelector<IHtmlFormElement>("form")!;
        foreach (var (handler, expected) in new[]
        {
            ("Act&act=deactivate", "You cannot deactivate yourself."),
            ("Act&act=reset-two-factor", "You cannot reset your own two-factor sign-in here"),
        })
        {
            search.Action = $"/Staff/People/Person/{me}?handler={handler}";
            search.Method = "post";
            using var refused = await admin.SubmitAsync(search);
            Assert.Contains(expected, MainText(await admin.ReadFollowingAsync(refused)), StringComparison.Ordinal);
        }

        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var self = (await accounts.FindAsync(adminEmail))!;
            Assert.Equal("People.NotYourselfRole", (await accounts.ChangeRoleAsync(self, Roles.Support, null, false, self, CancellationToken.None)).ProblemKey);
        }

        using (var stillAdmin = await admin.GetAsync("/Admin/Audit"))
        {
            Assert.Equal(HttpStatusCode.OK, stillAdmin.StatusCode);
        }

        // With every other Administrator deactivated, the last one is neither demoted nor deactivated.
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var support = await factory.CreateUserAsync($"s-{Guid.NewGuid():N}@vendor.example", Roles.Support);
            foreach (var other in (await users.GetUsersInRoleAsync(Roles.Administrator)).Where(u => u.Email != adminEmail))
            {
                Assert.True((await accounts.DeactivateAsync(other, by: null)).Succeeded);
            }

            var last = (await accounts.FindAsync(adminEmail))!;
            Assert.Equal("People.LastAdministrator", (await accounts.ChangeRoleAsync(last, Roles.Support, null, false, support, CancellationToken.None)).ProblemKey);
            Assert.Equal("People.LastAdministrator", (await accounts.DeactivateAsync(last, support)).ProblemKey);
            Assert.True(await users.IsInRoleAsync((await accounts.FindAsync(adminEmail))!, Roles.Administrator));
        }
    }

    [Fact]
    public async Task Support_ReadsPeopleAndOrganisations_ButReachesNoAdministratorAction_AndPartnersNoStaffPage()
    {
        var organisation = $"Read Only Ltd {Guid.NewGuid():N}";
        var (_, partnerEmail) = await factory.NewPartnerAsync(organisation);
        var id = await IdOfAsync(partnerEmail);
        var organisationId = await factory.WithDbAsync(db => db.Organisations.Where(o => o.Name == organisation).Select(o => o.Id).SingleAsync());
        var (support, _) = await factory.NewSupportAsync();

        var people = await support.GetPageAsync($"/Staff/People?q={Uri.EscapeDataString(organisation)}");
        Assert.Contains(partnerEmail, people.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        var person = await support.GetPageAsync($"/Staff/People/Person/{id}");
        Assert.Empty(person.QuerySelectorAll("main button[name=act]"));
        Assert.Null(person.QuerySelector("#role-form"));
        var page = await support.GetPageAsync($"/Staff/Organisations/Organisation/{organisationId}");
        Assert.Null(page.QuerySelector("#rename-form"));

        var form = people.QuerySelector<IHtmlFormElement>("form")!;
        form.Method = "post";
        foreach (var action in new[]
        {
            $"/Staff/People/Person/{id}?handler=Act&act=deactivate", $"/Staff/People/Person/{id}?handler=Role",
            $"/Staff/Organisations/Organisation/{organisationId}?handler=Rename", "/Admin/Audit", "/Admin/Audit?handler=Export", "/Admin/Invitations",
        })
        {
            form.Action = action;
            using var refused = action.StartsWith("/Admin", StringComparison.Ordinal) ? await support.GetAsync(action) : await support.SubmitAsync(form);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/Identity/Account/AccessDenied", refused.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        Assert.Null(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.DeactivatedAt).SingleAsync()));

        var (partner, _) = await factory.NewPartnerAsync(organisation);
        foreach (var staffPage in new[] { "/Staff/People", $"/Staff/People/Person/{id}", "/Staff/Organisations", $"/Staff/Organisations/Organisation/{organisationId}" })
        {
            using var refused = await partner.GetAsync(staffPage);
            Assert.StartsWith("/Identity/Account/AccessDenied", refused.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ThePeopleList_SearchesAsText_FiltersByState_AndShowsInvitations()
    {
        var (admin, _) = await factory.NewAdministratorAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var organisation = $"100% Partners_{tag}";
        var (_, active) = await factory.NewPartnerAsync(organisation);
        var (_, deactivated) = await factory.NewPartnerAsync(organisation);
        var (_, decoy) = await factory.NewPartnerAsync($"1000 Partners {tag}");
        using (var scope = factory.Services.CreateScope())
        {
            await StaffAccountsTests.ChangeAsync(scope.ServiceProvider, deactivated, (a, p) => a.DeactivateAsync(p, by: null));
        }

        var invite = await admin.GetPageAsync("/Admin/Invitations");
        var invited = $"invited-{tag}@reseller.example";
        using (await admin.SubmitAsync(invite.Form("#invite-form"), values: new Dictionary<string, string>
        {
            ["Input.Email"] = invited, ["Input.Role"] = Roles.Partner, ["Input.Organisation"] = organisation, ["Input.Language"] = "en",
        }))
        {
        }

        // "%" and "_" are text: the organisation with them is found, the look-alike is not.
        var query = Uri.EscapeDataString($"100% Partners_{tag}");
        var all = await admin.GetPageAsync($"/Staff/People?q={query}");
        Assert.Contains("2 people", all.QuerySelector(".count")!.TextContent, StringComparison.Ordinal);
        var table = all.QuerySelector("main table")!.TextContent;
        Assert.Contains(active, table, StringComparison.Ordinal);
        Assert.Contains(deactivated, table, StringComparison.Ordinal);
        Assert.DoesNotContain(decoy, MainText(all), StringComparison.Ordinal);
        Assert.Contains(invited, all.QuerySelector("#invited-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);

        var onlyDeactivated = await admin.GetPageAsync($"/Staff/People?q={query}&state=deactivated");
        Assert.Contains("1 person", onlyDeactivated.QuerySelector(".count")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(deactivated, onlyDeactivated.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);

        var onlyActive = await admin.GetPageAsync($"/Staff/People?q={query}&state=active");
        Assert.Contains(active, onlyActive.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(deactivated, onlyActive.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);

        // A term longer than anything stored finds nothing, whatever its length.
        var huge = new string('%', 40_000);
        Assert.Contains("0 people", (await admin.GetPageAsync($"/Staff/People?q={Uri.EscapeDataString(huge)}")).QuerySelector(".count")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("0 entries", (await admin.GetPageAsync($"/Admin/Audit?q={Uri.EscapeDataString(huge)}")).QuerySelector(".count")!.TextContent, StringComparison.Ordinal);

        var onlyInvited = await admin.GetPageAsync($"/Staff/People?q={query}&state=invited");
        Assert.Null(onlyInvited.QuerySelector(".count"));
        Assert.Contains(invited, MainText(onlyInvited), StringComparison.Ordinal);

        // The organisations list counts its people and open requests, and links to them.
        var organisations = await admin.GetPageAsync($"/Staff/Organisations?q={query}");
        var row = organisations.QuerySelector("main tbody tr")!;
        Assert.Equal(organisation, row.QuerySelector("td a")!.TextContent);
        Assert.Equal("2", row.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Equal("0", row.QuerySelectorAll("td")[2].TextContent.Trim());
        Assert.Contains("organisation=", row.QuerySelectorAll("td")[2].QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganisationsPage_RenamesIt_LinksToItsRequests_AndRefusesATakenName()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var organisation = $"Old Name {Guid.NewGuid():N}";
        var taken = $"Taken Name {Guid.NewGuid():N}";
        var (partner, _) = await factory.NewPartnerAsync(organisation);
        await factory.NewPartnerAsync(taken);
        await factory.SubmitAsync(partner, $"renamed-{Guid.NewGuid():N}.example");
        var id = await factory.WithDbAsync(db => db.Organisations.Where(o => o.Name == organisation).Select(o => o.Id).SingleAsync());

        var page = await admin.GetPageAsync($"/Staff/Organisations/Organisation/{id}");
        Assert.Contains("1 open requests", MainText(page), StringComparison.Ordinal);
        var requests = await admin.GetPageAsync(page.QuerySelector<IHtmlAnchorElement>($"a[href='/Support?organisation={id}']")!.PathName + $"?organisation={id}");
        Assert.Contains("1 request", requests.QuerySelector(".count")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Only the requests of {organisation}.", MainText(requests), StringComparison.Ordinal);

        using (var refused = await admin.SubmitAsync(page.Form("#rename-form"), values: new Dictionary<string, string> { ["Name"] = taken }))
        {
            var again = await Html.ReadAsync(refused);
            Assert.Equal("Another organisation already has this name.", again.QuerySelector("#Name-error")!.TextContent.Trim());
        }

        using (var empty = await admin.SubmitAsync(page.Form("#rename-form"), values: new Dictionary<string, string> { ["Name"] = "  " }))
        {
            Assert.Equal("Enter the organisation's name.", (await Html.ReadAsync(empty)).QuerySelector("#Name-error")!.TextContent.Trim());
        }

        var renamed = organisation.Replace("Old", "New", StringComparison.Ordinal);
        using (var done = await admin.SubmitAsync(page.Form("#rename-form"), values: new Dictionary<string, string> { ["Name"] = renamed }))
        {
            page = await admin.ReadFollowingAsync(done);
        }

        Assert.Equal(renamed, page.QuerySelector("h1")!.TextContent);
        Assert.Contains($"Renamed from {organisation} to {renamed}", MainText(page), StringComparison.Ordinal);
        Assert.Contains(adminEmail, MainText(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministratorResetsALostAuthenticator_TheStaffMemberSetsUpANewOne_AndItIsRecorded()
    {
        var (admin, _) = await factory.NewAdministratorAsync();
        var (support, supportEmail) = await factory.NewSupportAsync();
        var id = await IdOfAsync(supportEmail);
        var page = await admin.GetPageAsync($"/Staff/People/Person/{id}");
        page = await PressAsync(admin, page, "Reset two-factor sign-in");
        Assert.Contains("Two-factor sign-in reset", MainText(page), StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.TwoFactorEnabled).SingleAsync()));

        using (var ended = await support.GetAsync("/Support"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith("/Identity/Account/Login", ended.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        // The password alone now leads to setting up a new app.
        using var again = factory.CreatePortalClient();
        var login = await again.GetPageAsync("/Identity/Account/Login");
        using var password = await again.SubmitAsync(login.Form(), values: new Dictionary<string, string> { ["Input.Email"] = supportEmail, ["Input.Password"] = PortalFactory.Password });
        Assert.Equal(SetUp, password.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task RecoveryCodes_SignInOnceEach()
    {
        var email = $"staff-{Guid.NewGuid():N}@vendor.example";
        var user = await factory.CreateUserAsync(email, Roles.Support);
        List<string> codes;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(user.Id))!, 2))!.ToList();
        }

        async Task<HttpResponseMessage> WithCodeAsync(string code)
        {
            var client = factory.CreatePortalClient();
            var login = await client.GetPageAsync("/Identity/Account/Login");
            using (await client.SubmitAsync(login.Form(), values: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = PortalFactory.Password }))
            {
            }

            var recovery = await client.GetPageAsync("/Identity/Account/LoginWithRecoveryCode");
            return await client.SubmitAsync(recovery.Form("main form"), values: new Dictionary<string, string> { ["Input.RecoveryCode"] = code });
        }

        using (var first = await WithCodeAsync(codes[0]))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using (var reused = await WithCodeAsync(codes[0]))
        {
            Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
            Assert.Contains("That recovery code is not right, or was already used.", (await Html.ReadAsync(reused)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }

        using var second = await WithCodeAsync(codes[1]);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
    }

    [Fact]
    public async Task AnOrganisationThatRequiresTwoFactor_SendsItsPartnersToSetItUp_EvenInOpenSessions()
    {
        var organisation = $"Careful Partners {Guid.NewGuid():N}";
        var (leadClient, leadEmail) = await factory.NewOrganisationAdministratorAsync(organisation, twoFactor: true);
        var (colleague, _) = await factory.NewPartnerAsync(organisation);
        var (elsewhere, _) = await factory.NewPartnerAsync($"Relaxed Partners {Guid.NewGuid():N}");

        var people = await leadClient.GetPageAsync("/Organisation/People");
        var require = people.QuerySelectorAll<IHtmlButtonElement>("main button").Single(b => b.TextContent.Trim() == "Require two-factor sign-in");
        using (var required = await leadClient.SubmitAsync(require.Form!, require))
        {
            Assert.Contains("Two-factor sign-in is now required", MainText(await leadClient.ReadFollowingAsync(required)), StringComparison.Ordinal);
        }

        // The colleague's open session goes to the set-up page, which says why; others are untouched.
        using (var sent = await colleague.GetAsync("/Requests"))
        {
            Assert.Equal(SetUp, sent.Headers.Location!.OriginalString);
        }

        var setUp = await colleague.GetPageAsync(SetUp);
        Assert.Contains("Your organisation requires an authenticator app", MainText(setUp), StringComparison.Ordinal);
        using (var open = await elsewhere.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        // The administrator, who has an app, goes on; the colleague does once theirs is on.
        using (var leadOpen = await leadClient.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, leadOpen.StatusCode);
        }

        var key = setUp.QuerySelector("code.shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        using (await colleague.SubmitAsync(setUp.Form("main form"), values: new Dictionary<string, string> { ["Input.Code"] = TestAuthenticator.Totp(key, DateTimeOffset.UtcNow) }))
        {
        }

        using (var nowOpen = await colleague.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, nowOpen.StatusCode);
        }

        // And cannot turn it off while the organisation requires it.
        using (await colleague.GetAsync("/Identity/Account/Manage/Disable2fa"))
        {
        }

        var status = await colleague.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Contains("Your organisation requires two-factor sign-in, so it stays on.", MainText(status), StringComparison.Ordinal);
        Assert.Equal(1, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.OrganisationTwoFactorRequired && e.Actor == leadEmail)));
    }
}
