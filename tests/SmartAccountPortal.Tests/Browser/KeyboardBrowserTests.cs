using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// The partner's and the customer's whole flows with the keyboard alone (Tab, typing, Enter,
/// Escape; never a click), with and without JavaScript, checking after each step where the
/// focus is: on what the person must read or act on next.
/// </summary>
public sealed class KeyboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<bool> Scripts => new() { true, false };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Partner_RequestsReviewsSubmitsAndCancels_ByKeyboardAlone(bool javaScript)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        var domain = RequestSteps.NewDomain();
        var page = await browser.NewPageAsync(javaScript);
        var steps = new Steps(page, $"{nameof(Partner_RequestsReviewsSubmitsAndCancels_ByKeyboardAlone)}-{(javaScript ? "js" : "no-js")}");

        // The first Tab reaches the skip link; then on to Sign in.
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First);
        await page.Keyboard.PressAsync("Enter");

        // A wrong password: the refusal takes the focus; then the right one.
        await TabToAsync(page, page.GetByLabel("E-mail", new() { Exact = true }));
        await page.Keyboard.TypeAsync(partner);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("not the password");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeFocusedAsync();
        await steps.ShotAsync("sign-in-refused");
        await TabToAsync(page, page.GetByLabel("Password", new() { Exact = true }));
        await page.Keyboard.TypeAsync(PortalFactory.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New customer accounts" })).ToBeVisibleAsync();

        // The form sent empty: the list of problems takes the focus, and its first entry leads to the field.
        await TabToAsync(page, page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Request Smart Account" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }));
        await page.Keyboard.PressAsync("Enter");
        var problems = page.GetByRole(AriaRole.Alert);
        await Expect(problems).ToBeFocusedAsync();
        await steps.ShotAsync("errors");
        await page.Keyboard.PressAsync("Tab");
        await Expect(problems.GetByRole(AriaRole.Link, new() { Name = "Enter the account name." })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("Account Name", new() { Exact = true })).ToBeFocusedAsync();

        // Filled in field by field with Tab.
        await page.Keyboard.TypeAsync("Contoso Pharmaceuticals");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Customer Email", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync($"it.lead@{domain}");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Account Domain", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(domain);
        await TabToAsync(page, page.GetByLabel("User Emails (optional)", new() { Exact = true }));
        await page.Keyboard.TypeAsync($"ann@{domain}");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Submit Request" }));
        await page.Keyboard.PressAsync("Enter");

        // The review opens on its title; Back (Escape with JavaScript) returns to the button that opened it.
        var reviewTitle = page.GetByRole(AriaRole.Heading, new() { Name = "Review Request" });
        await Expect(reviewTitle).ToBeFocusedAsync();
        await steps.ShotAsync("review");
        if (javaScript)
        {
            await page.Keyboard.PressAsync("Escape");
        }
        else
        {
            await TabToAsync(page, page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Back" }));
            await page.Keyboard.PressAsync("Enter");
        }

        var submit = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Submit Request" });
        await Expect(submit).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Account Domain", new() { Exact = true })).ToHaveValueAsync(domain);
        await page.Keyboard.PressAsync("Enter");
        await Expect(reviewTitle).ToBeFocusedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Submit Request" }));
        await page.Keyboard.PressAsync("Enter");

        // Complete: the confirmation takes the focus.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smart Account Request Complete" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToBeFocusedAsync();
        await steps.ShotAsync("complete");

        // On to the request, and cancelling it: the outcome takes the focus.
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "View this request" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Cancel request" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Reason (optional)", new() { Exact = true }));
        await page.Keyboard.TypeAsync("Customer asked us to wait.");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Cancel request" }));
        await page.Keyboard.PressAsync("Enter");
        var outcome = page.GetByRole(AriaRole.Status);
        await Expect(outcome).ToBeFocusedAsync();
        await Expect(outcome).ToContainTextAsync("The request was cancelled");
        await steps.ShotAsync("cancelled");

        Assert.Equal(RequestStatus.Cancelled, await browser.Portal.WithDbAsync(db => db.Requests.Where(r => r.AccountDomain == domain).Select(r => r.Status).SingleAsync()));
        await page.Context.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Customer_ConsidersDecliningThenActivates_ByKeyboardAlone(bool javaScript)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        // A Pending request, and the activation link the customer's e-mail carries.
        var (request, link) = await browser.Portal.SeedOpenRequestAsync(partner);
        var page = await browser.NewPageAsync(javaScript);
        var steps = new Steps(page, $"{nameof(Customer_ConsidersDecliningThenActivates_ByKeyboardAlone)}-{(javaScript ? "js" : "no-js")}");
        await page.GotoAsync(link);

        // Decline, with a reason: the question to confirm takes the focus; "No, go back" leads back.
        await TabToAsync(page, page.GetByLabel("Reason (optional)", new() { Exact = true }));
        await page.Keyboard.TypeAsync("We already have one.");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Decline" }));
        await page.Keyboard.PressAsync("Enter");
        var question = page.Locator("section[aria-labelledby='activation-title']");
        await Expect(question).ToBeFocusedAsync();
        await Expect(question).ToContainTextAsync("Decline this Smart Account?");
        await steps.ShotAsync("confirm-decline");
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "No, go back" }));
        await page.Keyboard.PressAsync("Enter");

        // Activate: the outcome takes the focus.
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Activate Smart Account" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(question).ToBeFocusedAsync();
        await Expect(question).ToContainTextAsync("Smart Account activated");
        await steps.ShotAsync("activated");

        Assert.Equal(RequestStatus.Active, await browser.Portal.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Presses Tab until <paramref name="target"/> has the focus; fails, naming what got the
    /// focus on the way, if it is not reached within <paramref name="limit"/> presses.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, int limit = 50)
    {
        var path = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            path.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? e.tagName.toLowerCase() + ' \"' + (e.getAttribute('aria-label') || e.textContent || e.name || '').trim().slice(0, 40) + '\"' : 'nothing'; }"));
        }

        Assert.Fail($"Not reached with Tab in {limit} presses; the focus went: {string.Join(" → ", path)}");
    }
}
