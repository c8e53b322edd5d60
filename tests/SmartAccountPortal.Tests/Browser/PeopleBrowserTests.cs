using Microsoft.Playwright;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// People join by invitation, through the real SMTP server: an administrator invites a partner
/// into a new organisation as its administrator; the partner sets a password from the e-mail and
/// invites a colleague, who joins; the colleague is deactivated and their open session ends.
/// </summary>
public sealed class PeopleBrowserTests(MailBrowserFixture browser) : IClassFixture<MailBrowserFixture>
{
    private async Task<string> InvitationLinkAsync(string to)
    {
        while (await browser.Portal.SendMailAsync() > 0)
        {
        }

        var received = await browser.MailDev.MessagesToAsync(to);
        var mail = received[^1];
        return MailText.Link(mail.Text, "/Invitation/");
    }

    private static async Task AcceptAsync(IPage page, string link, string password)
    {
        await page.GotoAsync(link);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("New password, again", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept the invitation" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Invitation/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdministratorInvitesAnOrganisationAdministrator_WhoInvitesAColleague_AndDeactivatingTheColleagueEndsTheirSession()
    {
        const string test = nameof(AnAdministratorInvitesAnOrganisationAdministrator_WhoInvitesAColleague_AndDeactivatingTheColleagueEndsTheirSession);
        var administrator = $"admin-{Guid.NewGuid():N}@vendor.example";
        await browser.Portal.CreateUserAsync(administrator, Roles.Administrator);
        var lead = $"lead-{Guid.NewGuid():N}@tailspin.example";
        var colleague = $"colleague-{Guid.NewGuid():N}@tailspin.example";
        var organisation = $"Tailspin Toys {Guid.NewGuid():N}"[..22];

        // The administrator invites the partner into a new organisation, as its administrator.
        var adminPage = await browser.NewPageAsync();
        var adminSteps = new Steps(adminPage, test + "/administrator");
        await PartnerSteps.SignInByFormAsync(adminPage, administrator);
        await adminPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Invitations" }).ClickAsync();
        await adminPage.GetByLabel("E-mail", new() { Exact = true }).FillAsync(lead);
        await adminPage.GetByLabel("Organisation", new() { Exact = true }).FillAsync(organisation);
        await adminPage.GetByLabel("Administers the organisation: invites and manages its people").CheckAsync();
        await adminSteps.ShotAsync("invite");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Status)).ToContainTextAsync($"The invitation is on its way to {lead}.");
        await Expect(adminPage.GetByRole(AriaRole.Table)).ToContainTextAsync(lead);
        await adminSteps.ShotAsync("invited");

        // The partner follows the e-mail's link, chooses a password, and is in.
        var leadPage = await browser.NewPageAsync();
        var leadSteps = new Steps(leadPage, test + "/lead");
        await AcceptAsync(leadPage, await InvitationLinkAsync(lead), "tailspin lead password");
        await leadSteps.ShotAsync("joined");

        // They invite a colleague from their People page.
        await leadPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Expect(leadPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"People of {organisation}");
        await leadPage.GetByLabel("E-mail", new() { Exact = true }).FillAsync(colleague);
        await leadPage.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Expect(leadPage.GetByRole(AriaRole.Status)).ToContainTextAsync($"The invitation is on its way to {colleague}.");

        var colleaguePage = await browser.NewPageAsync();
        await AcceptAsync(colleaguePage, await InvitationLinkAsync(colleague), "tailspin colleague password");
        await colleaguePage.GotoAsync("/Requests");
        await Expect(colleaguePage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My Requests");

        // The colleague is deactivated: their open session ends at its next request.
        await leadPage.ReloadAsync();
        await Expect(leadPage.GetByRole(AriaRole.Table)).ToContainTextAsync(colleague);
        await leadPage.GetByRole(AriaRole.Button, new() { Name = $"Deactivate: {colleague}" }).ClickAsync();
        await Expect(leadPage.GetByRole(AriaRole.Status)).ToContainTextAsync($"{colleague} can no longer sign in");
        await leadSteps.ShotAsync("colleague-deactivated");

        await colleaguePage.GotoAsync("/Requests");
        await colleaguePage.WaitForURLAsync(url => url.Contains("/Identity/Account/Login", StringComparison.Ordinal));
        await PartnerSteps.SubmitSignInAsync(colleaguePage, colleague, "tailspin colleague password");
        await Expect(colleaguePage.GetByRole(AriaRole.Main)).ToContainTextAsync("This account has been deactivated.");
    }
}
