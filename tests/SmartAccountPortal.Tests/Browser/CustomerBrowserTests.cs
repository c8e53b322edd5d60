using Microsoft.Playwright;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>The customer's side in Chromium: the link from the e-mail MailDev received, then Activate.</summary>
public sealed class CustomerBrowserTests(MailBrowserFixture browser) : IClassFixture<MailBrowserFixture>
{
    [Fact]
    public async Task Customer_OpensTheLinkFromTheEmail_Activates_AndThePartnerIsTold()
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";

        var partnerPage = await browser.NewPageAsync();
        var partnerSteps = new Steps(partnerPage, nameof(Customer_OpensTheLinkFromTheEmail_Activates_AndThePartnerIsTold) + "/partner");
        await PartnerSteps.SignInAsync(partnerPage, partnerSteps, partner);
        await PartnerSteps.RequestAsync(partnerPage, partnerSteps, domain);

        // One tick of the background service.
        await browser.Portal.SendMailAsync();
        var invitation = Assert.Single(await browser.MailDev.MessagesToAsync(customer));
        var link = MailText.Link(invitation.Text, "/Activation/");
        Assert.StartsWith(browser.BaseAddress + "Activation/", link, StringComparison.Ordinal);

        var page = await browser.NewPageAsync();
        var steps = new Steps(page, nameof(Customer_OpensTheLinkFromTheEmail_Activates_AndThePartnerIsTold) + "/customer");
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Activate your company's Smart Account" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Northwind Partners");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(domain);
        await steps.ShotAsync("activation-page");

        await page.GetByRole(AriaRole.Button, new() { Name = "Activate Smart Account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smart Account activated" })).ToBeVisibleAsync();
        await Expect(page.Locator("main").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await steps.ShotAsync("activated");

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This Smart Account is already activated" })).ToBeVisibleAsync();
        await steps.ShotAsync("link-used");

        await browser.Portal.SendMailAsync();
        var confirmation = Assert.Single(await browser.MailDev.MessagesToAsync(partner));
        Assert.Contains("activated", confirmation.Subject, StringComparison.Ordinal);
        Assert.Contains(customer, confirmation.Text, StringComparison.Ordinal);

        await page.Context.CloseAsync();
        await partnerPage.Context.CloseAsync();
    }
}
