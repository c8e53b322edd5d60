using Microsoft.Playwright;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>Where keyboard focus is while the Review Request dialog opens and closes, with and without JavaScript.</summary>
public sealed class ReviewDialogBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> FormFilledAsync(bool javaScript)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        var page = await browser.NewPageAsync(javaScript);
        await PartnerSteps.SignInByFormAsync(page, partner);
        await page.GotoAsync("/Requests/New");
        await PartnerSteps.FillRequestAsync(page, RequestSteps.NewDomain());
        return page;
    }

    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.textContent.trim()");

    [Fact]
    public async Task WithJavaScript_TheDialogOpensOnItsTitle_AndBackOrEscapeReturnToTheButtonThatOpenedIt()
    {
        var page = await FormFilledAsync(javaScript: true);
        var submit = page.Locator("#request-form button[type=submit]");

        await submit.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Review Request" });
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Equal("review-title", await FocusedAsync(page));

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(submit).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Account Name", new() { Exact = true })).ToBeEditableAsync();

        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(submit).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Notes_SayHowManyCharactersAreLeft_AsOneTypes()
    {
        var page = await FormFilledAsync(javaScript: true);
        var note = page.GetByLabel("Note to Customer (optional)", new() { Exact = true });
        await Expect(page.Locator("#note-customer-count")).ToHaveTextAsync($"{1000 - "Please accept this week.".Length} characters left");
        await note.FillAsync(new string('x', 999));
        await Expect(page.Locator("#note-customer-count")).ToHaveTextAsync("1 character left");

        // A screen reader hears the count once typing pauses.
        await Expect(page.Locator("#note-customer-count + [aria-live=polite]")).ToHaveTextAsync("1 character left");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithoutJavaScript_TheDialogComesFirst_AndTheFormBehindItCannotBeReachedOrEdited()
    {
        var page = await FormFilledAsync(javaScript: false);
        await page.Locator("#request-form button[type=submit]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Review Request" });
        await Expect(dialog).ToBeVisibleAsync();

        // In reading order the dialog stands before the form.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => !!(document.getElementById('review-dialog').compareDocumentPosition(document.getElementById('request-form')) & Node.DOCUMENT_POSITION_FOLLOWING)"));
        // The form behind is inert: its fields cannot take focus, so nothing can be typed into them.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const form = document.getElementById('request-form'); document.getElementById('Input_AccountName').focus(); return form.inert && document.activeElement.closest('#request-form') === null; }"));

        // Tab goes through the dialog's buttons and never into the form behind it.
        var reached = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.False(await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('#request-form')"), "Tab reached the form behind the dialog");
            reached.Add(await FocusedAsync(page));
        }

        Assert.Contains("Submit Request", reached);
        Assert.Contains("Back", reached);
        await page.Context.CloseAsync();
    }
}
