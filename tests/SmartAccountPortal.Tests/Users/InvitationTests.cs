using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Users;

/// <summary>Administrators invite people by e-mail; the link, followed once, makes the account.</summary>
public sealed class InvitationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Page = "/Admin/Invitations";

    private static async Task<IHtmlDocument> InviteAsync(HttpClient admin, string email, string role = Roles.Partner, string organisation = "", bool administers = false, string language = "en")
    {
        var page = await admin.GetPageAsync(Page);
        var values = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Role"] = role,
            ["Input.Organisation"] = organisation,
            ["Input.Language"] = language,
        };
        if (administers)
        {
            values["Input.AdministersOrganisation"] = "true";
        }

        using var response = await admin.SubmitAsync(page.Form("main form"), values: values);
        return await admin.ReadFollowingAsync(response);
    }

    /// <summary>Sends the outbox and returns the path of the link in the newest invitation e-mail to <paramref name="email"/>.</summary>
    private async Task<string> LinkAsync(string email)
    {
        while (await factory.SendMailAsync() > 0)
        {
        }

        var mail = factory.MailTo(email).Last();
        return new Uri(MailText.Link(mail.Text, "/Invitation/")).AbsolutePath;
    }

    private static Task<HttpResponseMessage> AcceptAsync(HttpClient client, IHtmlDocument page, string password, string? again = null) =>
        client.SubmitAsync(page.Form("main form"), values: new Dictionary<string, string>
        {
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = again ?? password,
        });

    private static string MainText(IHtmlDocument page) => page.QuerySelector("main")!.TextContent;

    [Fact]
    public async Task APartnerInvitedIntoANewOrganisationAsItsAdministrator_SetsAPassword_AndIsSignedIn()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var invited = $"new-{Guid.NewGuid():N}@reseller.example";
        var organisation = $"Tailspin {Guid.NewGuid():N}"[..20];

        var listed = await InviteAsync(admin, invited, organisation: organisation, administers: true);
        Assert.Contains($"The invitation is on its way to {invited}.", MainText(listed), StringComparison.Ordinal);
        Assert.Contains(invited, listed.QuerySelector("table")!.TextContent, StringComparison.Ordinal);

        var path = await LinkAsync(invited);
        var mail = factory.MailTo(invited).Last();
        Assert.Equal($"{adminEmail} invites you to the Smart Account Portal", mail.Subject);
        Assert.Contains($"as a partner of {organisation}, and to manage the people of {organisation}", mail.Text, StringComparison.Ordinal);

        // Opening the link (as a mail scanner would, twice, and HEAD) consumes nothing.
        using var person = factory.CreatePortalClient();
        await person.GetPageAsync(path);
        using (var head = await person.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        var open = await person.GetPageAsync(path);
        Assert.Contains($"invites you to join {organisation} in the Smart Account Portal, and to manage its people.", MainText(open), StringComparison.Ordinal);
        Assert.Contains("At least 12 characters", MainText(open), StringComparison.Ordinal);
        Assert.Null(await factory.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.AcceptedAt).SingleAsync()));

        // A password too short is shown next to its field, and nothing is made.
        using (var tooShort = await AcceptAsync(person, open, "short"))
        {
            var page = await Html.ReadAsync(tooShort);
            Assert.Equal("The password needs at least 12 characters.", page.QuerySelector("#Input_Password-error")!.TextContent.Trim());
        }

        Assert.Null(await factory.WithDbAsync(db => db.Users.SingleOrDefaultAsync(u => u.Email == invited)));

        using (var accepted = await AcceptAsync(person, open, "a long enough password"))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Equal("/", accepted.Headers.Location!.OriginalString);
        }

        using (var requests = await person.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, requests.StatusCode);
        }

        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(invited))!;
            Assert.True(await users.IsInRoleAsync(user, Roles.Partner));
            Assert.True(user.AdministersOrganisation);
            Assert.Equal(organisation, (await factory.WithDbAsync(db => db.Organisations.SingleAsync(o => o.Id == user.OrganisationId))).Name);
            Assert.Equal("en", user.PreferredLanguage);
            Assert.NotNull(user.LastSignInAt);
        }

        // Used once: the link now says so, and signing in is with the new password.
        Assert.Contains("This invitation has been used", MainText(await factory.CreatePortalClient().GetPageAsync(path)), StringComparison.Ordinal);
        using var later = factory.CreatePortalClient();
        await later.SignInAsync(invited, "a long enough password");

        // The token is nowhere in the database: the invitation keeps its hash, the sent e-mail neither.
        var token = path.Split('/')[^1];
        var stored = await factory.WithDbAsync(async db => (
            await db.Invitations.Where(i => i.Email == invited).Select(i => i.TokenHash).SingleAsync(),
            await db.OutboxMessages.Where(m => m.To == invited).Select(m => m.TextBody + m.HtmlBody + (m.ProtectedLink ?? "")).SingleAsync()));
        Assert.Equal(ActivationTokens.Hash(token), stored.Item1);
        Assert.DoesNotContain(token, stored.Item2, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvitationInItalian_IsWrittenInItalian_AndTheAccountStartsInItalian()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var invited = $"it-{Guid.NewGuid():N}@rivenditore.example";
        await InviteAsync(admin, invited, organisation: "Rivenditori Uniti", language: "it");
        var path = await LinkAsync(invited);
        Assert.Equal($"{adminEmail} ti invita al Portale Smart Account", factory.MailTo(invited).Last().Subject);

        using var person = factory.CreatePortalClient();
        using (await AcceptAsync(person, await person.GetPageAsync(path), "una password abbastanza lunga"))
        {
        }

        Assert.Equal("it", await factory.WithDbAsync(db => db.Users.Where(u => u.Email == invited).Select(u => u.PreferredLanguage).SingleAsync()));
    }

    [Fact]
    public async Task StaffInvited_SetUpTheirAuthenticatorRightAfterChoosingAPassword()
    {
        var (admin, _) = await factory.NewAdministratorAsync();
        var invited = $"lee-{Guid.NewGuid():N}@vendor.example";
        await InviteAsync(admin, invited, role: Roles.Support);
        var path = await LinkAsync(invited);
        Assert.Contains("as licensing support", factory.MailTo(invited).Last().Text, StringComparison.Ordinal);

        using var person = factory.CreatePortalClient();
        using var accepted = await AcceptAsync(person, await person.GetPageAsync(path), "a long enough password");
        Assert.Equal("/Identity/Account/Manage/EnableAuthenticator", accepted.Headers.Location!.OriginalString);
        using var console = await person.GetAsync("/Support");
        Assert.Equal("/Identity/Account/Manage/EnableAuthenticator", console.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ExpiredRevokedReplacedAndUnknownLinks_EachGetTheirOwnPage_AndMakeNoAccount()
    {
        var (admin, adminEmail) = await factory.NewAdministratorAsync();
        var expiring = $"late-{Guid.NewGuid():N}@reseller.example";
        var revoked = $"revoked-{Guid.NewGuid():N}@reseller.example";
        var resent = $"resent-{Guid.NewGuid():N}@reseller.example";
        await InviteAsync(admin, expiring, organisation: "Northwind Partners");
        await InviteAsync(admin, revoked, organisation: "Northwind Partners");
        await InviteAsync(admin, resent, organisation: "Northwind Partners");
        var expiringLink = await LinkAsync(expiring);
        var revokedLink = await LinkAsync(revoked);
        var firstLink = await LinkAsync(resent);

        // Withdrawn, and sent again (the old link dies), from the list.
        var list = await admin.GetPageAsync(Page);
        async Task ActAsync(string button)
        {
            var form = list.QuerySelectorAll<IHtmlFormElement>("form").Single(f => f.QuerySelector($"button[aria-label='{button}']") is not null);
            using var done = await admin.SubmitAsync(form);
            list = await admin.ReadFollowingAsync(done);
        }

        await ActAsync($"Withdraw: {revoked}");
        Assert.Contains($"The invitation to {revoked} was withdrawn", MainText(list), StringComparison.Ordinal);
        await ActAsync($"Send again: {resent}");
        Assert.Contains($"A new invitation is on its way to {resent}", MainText(list), StringComparison.Ordinal);
        var secondLink = await LinkAsync(resent);
        Assert.NotEqual(firstLink, secondLink);

        using var person = factory.CreatePortalClient();
        Assert.Contains("This invitation was withdrawn", MainText(await person.GetPageAsync(revokedLink)), StringComparison.Ordinal);
        Assert.Contains(adminEmail, MainText(await person.GetPageAsync(revokedLink)), StringComparison.Ordinal);
        Assert.Contains("This invitation link is not valid", MainText(await person.GetPageAsync(firstLink)), StringComparison.Ordinal);
        Assert.Contains("Accept the invitation", MainText(await person.GetPageAsync(secondLink)), StringComparison.Ordinal);
        Assert.Contains("This invitation link is not valid", MainText(await person.GetPageAsync("/Invitation/" + ActivationTokens.Create().Token)), StringComparison.Ordinal);
        Assert.Contains("This invitation link is not valid", MainText(await person.GetPageAsync("/Invitation/not-a-token")), StringComparison.Ordinal);

        var form = (await person.GetPageAsync(secondLink)).Form("main form");
        factory.Clock.Advance(TimeSpan.FromDays(8));
        var expired = await person.GetPageAsync(expiringLink);
        Assert.Contains("This invitation has expired", MainText(expired), StringComparison.Ordinal);

        // Posting a password to any of them (with a valid form token) makes nothing.
        foreach (var link in new[] { expiringLink, revokedLink, firstLink })
        {
            Assert.Null((await person.GetPageAsync(link)).QuerySelector("main form"));
            form.Action = link;
            using var posted = await person.SubmitAsync(form, values: new Dictionary<string, string>
            {
                ["Input.Password"] = "a long enough password",
                ["Input.ConfirmPassword"] = "a long enough password",
            });
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Null((await Html.ReadAsync(posted)).QuerySelector("main form"));
        }

        Assert.Equal(0, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.Email == expiring || u.Email == revoked)));

        // An expired invitation can be sent again, with a new week (by an administrator signed in now).
        using var later = factory.CreatePortalClient();
        await later.SignInAsync(adminEmail);
        admin = later;
        list = await admin.GetPageAsync(Page);
        await ActAsync($"Send again: {expiring}");
        Assert.Contains("Accept the invitation", MainText(await person.GetPageAsync(await LinkAsync(expiring))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvitingAnAddressThatHasAnAccount_OrAnInvitationWaiting_SaysSoNextToTheField_AndSendsNothing()
    {
        var (admin, _) = await factory.NewAdministratorAsync();
        var (partnerClient, partner) = await factory.NewPartnerAsync();
        partnerClient.Dispose();

        var refused = await InviteAsync(admin, partner, organisation: "Northwind Partners");
        Assert.Equal("There is already an account for this address. Nothing was sent.", refused.QuerySelector("#Input_Email-error")!.TextContent.Trim());

        var invited = $"twice-{Guid.NewGuid():N}@reseller.example";
        await InviteAsync(admin, invited, organisation: "Northwind Partners");
        var again = await InviteAsync(admin, invited, organisation: "Northwind Partners");
        Assert.StartsWith("This address already has an invitation waiting.", again.QuerySelector("#Input_Email-error")!.TextContent.Trim(), StringComparison.Ordinal);

        var missing = await InviteAsync(admin, $"x-{Guid.NewGuid():N}@reseller.example");
        Assert.Equal("A partner belongs to an organisation: enter its name.", missing.QuerySelector("#Input_Organisation-error")!.TextContent.Trim());
        var staffWithOrganisation = await InviteAsync(admin, $"x-{Guid.NewGuid():N}@vendor.example", role: Roles.Support, organisation: "Northwind Partners");
        Assert.NotEmpty(staffWithOrganisation.QuerySelector("#Input_Organisation-error")!.TextContent.Trim());

        Assert.Equal(0, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == partner && m.Kind == MailKind.Invitation)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == invited && m.Kind == MailKind.Invitation)));
    }

    [Fact]
    public async Task PartnersAndSupport_ReachNoAdministratorPage()
    {
        var (partner, _) = await factory.NewPartnerAsync();
        var (support, _) = await factory.NewSupportAsync();
        foreach (var client in new[] { partner, support })
        {
            using var get = await client.GetAsync(Page);
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.StartsWith("/Identity/Account/AccessDenied", get.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
            // An action posted with a valid form token of another page is refused before it runs.
            var someForm = (await client.GetPageAsync("/Identity/Account/Manage/ChangePassword")).Form("main form");
            someForm.Action = Page + "?handler=Revoke&id=1";
            using var post = await client.SubmitAsync(someForm);
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.StartsWith("/Identity/Account/AccessDenied", post.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResendingOrWithdrawingBeforeTheFirstEmailWentOut_WithdrawsThatEmail_SoOnlyALiveLinkIsSent()
    {
        var (admin, _) = await factory.NewAdministratorAsync();
        var resent = $"quick-{Guid.NewGuid():N}@reseller.example";
        var withdrawn = $"gone-{Guid.NewGuid():N}@reseller.example";
        await InviteAsync(admin, resent, organisation: "Northwind Partners");
        await InviteAsync(admin, withdrawn, organisation: "Northwind Partners");

        // Nothing has been sent yet when the administrator sends one again and withdraws the other.
        var list = await admin.GetPageAsync(Page);
        foreach (var button in new[] { $"Send again: {resent}", $"Withdraw: {withdrawn}" })
        {
            var form = list.QuerySelectorAll<IHtmlFormElement>("form").Single(f => f.QuerySelector($"button[aria-label='{button}']") is not null);
            using var done = await admin.SubmitAsync(form);
            list = await admin.ReadFollowingAsync(done);
        }

        while (await factory.SendMailAsync() > 0)
        {
        }

        var received = Assert.Single(factory.MailTo(resent));
        using var person = factory.CreatePortalClient();
        Assert.Contains("Accept the invitation", MainText(await person.GetPageAsync(new Uri(MailText.Link(received.Text, "/Invitation/")).AbsolutePath)), StringComparison.Ordinal);
        Assert.Empty(factory.MailTo(withdrawn));
        Assert.Equal(
            [OutboxStatus.Cancelled, OutboxStatus.Cancelled, OutboxStatus.Sent],
            await factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.To == resent || m.To == withdrawn).OrderBy(m => m.Status).Select(m => m.Status).ToListAsync()));
    }
}
