using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartAccountPortal.Domain;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>A partner's whole flow in Chromium, found by label and role as a person finds it.</summary>
public sealed partial class RequestFlowBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<string> NewPartnerAsync()
    {
        var email = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(email);
        return email;
    }

    private static string NewDomain() => $"b{Guid.NewGuid():N}"[..16] + ".com";

    [Fact]
    public async Task Partner_WithJavaScript_RequestsReviewsInAModalDialogAndSubmits()
    {
        var email = await NewPartnerAsync();
        var page = await browser.NewPageAsync();
        var steps = new Steps(page, nameof(Partner_WithJavaScript_RequestsReviewsInAModalDialogAndSubmits));
        var domain = NewDomain();

        await PartnerSteps.SignInAsync(page, steps, email);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Request Smart Account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request a Smart Account for your customer" })).ToBeVisibleAsync();
        await steps.ShotAsync("empty-form");

        // Nothing filled in: the page comes back with each required field marked.
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        await Expect(page.GetByLabel("Account Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Customer Email", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the account name.");
        await steps.ShotAsync("errors");

        await PartnerSteps.FillRequestAsync(page, domain);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Review Request" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync($"it.lead@{domain}");
        await Expect(dialog.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([$"ann@{domain}", $"bob@{domain}"]);
        Assert.True(await page.EvaluateAsync<bool>("document.getElementById('review-dialog').matches(':modal')"));
        Assert.True(await page.EvaluateAsync<bool>("document.activeElement.closest('dialog') !== null"));
        await steps.ShotAsync("review-dialog");

        // Escape goes back to the form, nothing lost.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Account Domain", new() { Exact = true })).ToHaveValueAsync(domain);
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Submit Request" })).ToBeFocusedAsync();
        await steps.ShotAsync("back-to-form");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smart Account Request Complete" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Pending");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"it.lead@{domain}");
        await Expect(page).ToHaveURLAsync(CompleteUrl());
        await steps.ShotAsync("complete");

        Assert.Equal(1, await browser.Portal.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain && r.Status == RequestStatus.Pending)));

        await BackAfterCompleteAsync(page, steps, domain);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The browser's Back from Complete: no "Confirm Form Resubmission", no cache miss, but the
    /// review's own address, now saying which request it became, over an empty form.
    /// </summary>
    private async Task BackAfterCompleteAsync(IPage page, Steps steps, string domain)
    {
        var reference = page.Url.Split('/')[^1];
        var back = await page.GoBackAsync();
        Assert.Equal(200, back!.Status);
        Assert.Contains("/Requests/New?review=", page.Url, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request a Smart Account for your customer" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Request {reference} has been submitted. To request another Smart Account, fill in the form again.");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Account Domain", new() { Exact = true })).ToHaveValueAsync("");
        await steps.ShotAsync("back-after-complete");
        Assert.Equal(1, await browser.Portal.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Partner_WithoutJavaScript_GetsTheSameDialogFromTheServer()
    {
        var email = await NewPartnerAsync();
        var page = await browser.NewPageAsync(javaScript: false);
        var steps = new Steps(page, nameof(Partner_WithoutJavaScript_GetsTheSameDialogFromTheServer));
        var domain = NewDomain();

        await PartnerSteps.SignInAsync(page, steps, email);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Request Smart Account" }).ClickAsync();
        await PartnerSteps.FillRequestAsync(page, domain);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Review Request" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Contoso Pharmaceuticals");
        await steps.ShotAsync("review-dialog");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("User Emails (optional)", new() { Exact = true })).ToHaveValueAsync($"ann@{domain}\nbob@{domain}, ann@{domain}");
        await steps.ShotAsync("back-to-form");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smart Account Request Complete" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Pending");
        await steps.ShotAsync("complete");

        Assert.Equal(1, await browser.Portal.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
        await BackAfterCompleteAsync(page, steps, domain);
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("/Requests/Complete/SA-[2-9A-HJKMNP-TV-Z]{8}$")]
    private static partial Regex CompleteUrl();
}
