using Microsoft.Playwright;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>What a partner does in the browser, shared by the browser tests.</summary>
internal static class PartnerSteps
{
    public static async Task SignInAsync(IPage page, Steps steps, string email)
    {
        await page.GotoAsync("/");
        await steps.ShotAsync("home");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PortalFactory.Password);
        await steps.ShotAsync("sign-in");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New customer accounts" })).ToBeVisibleAsync();
    }

    /// <summary>Fills in and sends the sign-in form, in whatever language the page is (fields found by name).</summary>
    public static async Task SubmitSignInAsync(IPage page, string email, string password = PortalFactory.Password)
    {
        await page.GotoAsync("/Identity/Account/Login");
        await page.Locator("input[name='Input.Email']").FillAsync(email);
        await page.Locator("input[name='Input.Password']").FillAsync(password);
        await page.Locator("main form button[type=submit]").ClickAsync();
    }

    /// <summary>Signs in with the right password (and the app's code, for an account with one) and waits until the portal has let them in.</summary>
    public static async Task SignInByFormAsync(IPage page, string email)
    {
        await SubmitSignInAsync(page, email);
        await page.WaitForURLAsync(url => !url.Contains("/Identity/Account/Login?", StringComparison.Ordinal) && !url.EndsWith("/Identity/Account/Login", StringComparison.Ordinal));
        if (page.Url.Contains("/LoginWith2fa", StringComparison.Ordinal))
        {
            await page.Locator("input[name='Input.Code']").FillAsync(TestAuthenticator.CodeFor(email));
            await page.Locator("main form button[type=submit]").ClickAsync();
            try
            {
                await page.WaitForURLAsync(url => !url.Contains("/LoginWith2fa", StringComparison.Ordinal));
            }
            catch (TimeoutException)
            {
                // Still asked for a code: say what the page says, for whoever reads the failure.
                throw new InvalidOperationException($"The code step kept {email} at {page.Url}: {await page.Locator("main").InnerTextAsync()}");
            }
        }
    }

    public static async Task FillRequestAsync(IPage page, string domain)
    {
        await page.GetByLabel("Account Name", new() { Exact = true }).FillAsync("Contoso Pharmaceuticals");
        await page.GetByLabel("Customer Email", new() { Exact = true }).FillAsync($"it.lead@{domain}");
        await page.GetByLabel("Account Domain", new() { Exact = true }).FillAsync(domain);
        await page.GetByLabel("Note to Customer (optional)", new() { Exact = true }).FillAsync("Please accept this week.");
        await page.GetByLabel("User Emails (optional)", new() { Exact = true }).FillAsync($"ann@{domain}\nbob@{domain}, ann@{domain}");
        await page.GetByLabel("Note to Added Users (optional)", new() { Exact = true }).FillAsync("Welcome aboard.");
    }

    /// <summary>From the home page to Smart Account Request Complete.</summary>
    public static async Task RequestAsync(IPage page, Steps steps, string domain)
    {
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Request Smart Account" }).ClickAsync();
        await FillRequestAsync(page, domain);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Review Request" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smart Account Request Complete" })).ToBeVisibleAsync();
        await steps.ShotAsync("request-complete");
    }
}
