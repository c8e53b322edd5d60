using Microsoft.Playwright;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>After the request: a partner resends and cancels; support finds it, reads its history, exports it.</summary>
public sealed class FollowUpBrowserTests(MailBrowserFixture browser) : IClassFixture<MailBrowserFixture>
{
    private async Task<string> LinkInNewestMailAsync(string customer, int count)
    {
        await browser.Portal.SendMailAsync();
        var messages = await browser.MailDev.MessagesToAsync(customer, atLeast: count);
        Assert.Equal(count, messages.Count);
        return MailText.Link(messages[^1].Text, "/Activation/");
    }

    [Fact]
    public async Task Partner_ResendsAndCancels_ThenSupportFindsTheHistoryAndExportsIt()
    {
        const string test = nameof(Partner_ResendsAndCancels_ThenSupportFindsTheHistoryAndExportsIt);
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        var support = $"support-{Guid.NewGuid():N}@vendor.example";
        await browser.Portal.CreateUserAsync(partner);
        await browser.Portal.CreateUserAsync(support, Roles.Support);
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";

        var page = await browser.NewPageAsync();
        var steps = new Steps(page, test + "/partner");
        await PartnerSteps.SignInAsync(page, steps, partner);
        await PartnerSteps.RequestAsync(page, steps, domain);
        var oldLink = await LinkInNewestMailAsync(customer, 1);

        // Ten minutes later the partner resends from the request's page.
        browser.Portal.Clock.Advance(TimeSpan.FromMinutes(10));
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "My Requests" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = domain });
        await Expect(row).ToContainTextAsync("Pending");
        await steps.ShotAsync("my-requests");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        var reference = (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).Locator(".hint").TextContentAsync())!.Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resend activation e-mail" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("no longer works");
        await steps.ShotAsync("resent");
        var newLink = await LinkInNewestMailAsync(customer, 2);
        Assert.NotEqual(oldLink, newLink);

        var customerPage = await browser.NewPageAsync();
        var customerSteps = new Steps(customerPage, test + "/customer");
        await customerPage.GotoAsync(oldLink);
        await Expect(customerPage.GetByRole(AriaRole.Heading, new() { Name = "This activation link is not valid" })).ToBeVisibleAsync();
        await customerSteps.ShotAsync("old-link");
        await customerPage.GotoAsync(newLink);
        await Expect(customerPage.GetByRole(AriaRole.Button, new() { Name = "Activate Smart Account" })).ToBeVisibleAsync();
        await customerSteps.ShotAsync("new-link");

        // The partner cancels, after confirming.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel request" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Cancel the request");
        await page.GetByLabel("Reason (optional)").FillAsync("The customer will ask again in spring.");
        await steps.ShotAsync("confirm-cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel request" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was cancelled");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Request again" })).ToBeVisibleAsync();
        await steps.ShotAsync("cancelled");
        await customerPage.ReloadAsync();
        await Expect(customerPage.GetByRole(AriaRole.Heading, new() { Name = "This request was cancelled" })).ToBeVisibleAsync();

        // Support finds it and reads everything that happened.
        var staffPage = await browser.NewPageAsync();
        var staffSteps = new Steps(staffPage, test + "/support");
        await staffPage.GotoAsync("/Identity/Account/Login");
        await staffPage.GetByLabel("E-mail", new() { Exact = true }).FillAsync(support);
        await staffPage.GetByLabel("Password", new() { Exact = true }).FillAsync(PortalFactory.Password);
        await staffPage.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Staff sign in with their authenticator app too.
        await staffPage.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(TestAuthenticator.CodeFor(support));
        await staffPage.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await staffPage.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Support" }).ClickAsync();
        await staffPage.GetByLabel("Search", new() { Exact = true }).FillAsync(domain);
        await staffPage.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(staffPage.GetByRole(AriaRole.Status)).ToContainTextAsync("1 request");
        await staffSteps.ShotAsync("search");

        var download = await staffPage.RunAndWaitForDownloadAsync(() => staffPage.GetByRole(AriaRole.Link, new() { Name = "Export CSV", Exact = true }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var line = csv.Split("\r\n").Single(l => l.StartsWith(reference, StringComparison.Ordinal));
        Assert.Contains($",{domain},{customer},English,{partner},Northwind Partners,Cancelled,", line, StringComparison.Ordinal);

        await staffPage.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        var history = staffPage.Locator("section", new() { Has = staffPage.GetByRole(AriaRole.Heading, new() { Name = "History" }) });
        await Expect(history).ToContainTextAsync("Request submitted");
        await Expect(history).ToContainTextAsync("Activation e-mail resent with a new link");
        await Expect(history).ToContainTextAsync("Cancelled: \u201cThe customer will ask again in spring.\u201d");
        await Expect(history).ToContainTextAsync($"E-mail sent: Activation e-mail to {customer}");
        await Expect(staffPage.GetByRole(AriaRole.Main)).ToContainTextAsync(partner);
        await staffSteps.ShotAsync("request-history");

        await staffPage.Context.CloseAsync();
        await customerPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
