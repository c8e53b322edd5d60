using Microsoft.Playwright;
using SmartAccountPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// The whole flow in Chromium in Italian and in Dutch: the partner switches language in the
/// header, requests for a customer of that country, the e-mail arrives through the SMTP server in
/// the customer's language, the customer activates with the e-mail's button, and the partner's
/// confirmation comes in the partner's language.
/// </summary>
public sealed class LanguagesBrowserTests(MailBrowserFixture browser) : IClassFixture<MailBrowserFixture>
{
    public sealed record Words(
        string Language,
        string TopLevel,
        string SignIn,
        string Email,
        string Password,
        string Request,
        string AccountName,
        string CustomerEmail,
        string AccountDomain,
        string Submit,
        string Review,
        string Complete,
        string MailSubject,
        string Activate,
        string Activated,
        string PartnerSubject);

    public static TheoryData<Words> Languages => new()
    {
        new Words(
            "Italiano", "it", "Accedi", "E-mail", "Password", "Richiedi smart account", "Nome account", "E-mail cliente", "Dominio account",
            "Invia richiesta", "Rivedi richiesta", "Richiesta dello Smart Account completata", "Attiva lo Smart Account della tua azienda per",
            "Attiva Smart Account", "Smart Account attivato", "attivato dal cliente"),
        new Words(
            "Nederlands", "nl", "Aanmelden", "E-mailadres", "Wachtwoord", "Smart Account aanvragen", "Accountnaam", "E-mail klant", "Accountdomein",
            "Aanvraag verzenden", "Aanvraag controleren", "Smart Account-aanvraag voltooid", "Activeer het Smart Account van uw bedrijf voor",
            "Smart Account activeren", "Smart Account geactiveerd", "geactiveerd door de klant"),
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Partner_SwitchesLanguage_Requests_CustomerActivatesFromTheEmail_AllInTheirLanguage(Words words)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        var domain = $"c{Guid.NewGuid():N}"[..16] + "." + words.TopLevel;
        var customer = $"it.lead@{domain}";

        var page = await browser.NewPageAsync();
        var steps = new Steps(page, $"Languages/{words.TopLevel}/partner");
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = words.Language }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", words.TopLevel);
        await steps.ShotAsync("home");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = words.SignIn }).ClickAsync();
        await page.GetByLabel(words.Email, new() { Exact = true }).FillAsync(partner);
        await page.GetByLabel(words.Password, new() { Exact = true }).FillAsync(PortalFactory.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = words.SignIn }).ClickAsync();

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = words.Request }).ClickAsync();
        await page.GetByLabel(words.AccountName, new() { Exact = true }).FillAsync("Contoso Pharmaceuticals");
        await page.GetByLabel(words.CustomerEmail, new() { Exact = true }).FillAsync(customer);
        await page.GetByLabel(words.AccountDomain, new() { Exact = true }).FillAsync(domain);
        await steps.ShotAsync("form");
        await page.GetByRole(AriaRole.Button, new() { Name = words.Submit }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = words.Review });
        await Expect(dialog).ToContainTextAsync(words.Language);
        await steps.ShotAsync("review");
        await dialog.GetByRole(AriaRole.Button, new() { Name = words.Submit }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = words.Complete })).ToBeVisibleAsync();
        await steps.ShotAsync("complete");

        await browser.Portal.SendMailAsync();
        var invitation = Assert.Single(await browser.MailDev.MessagesToAsync(customer));
        Assert.StartsWith(words.MailSubject, invitation.Subject, StringComparison.Ordinal);
        Assert.Equal(words.TopLevel, invitation.Header("content-language"));

        // The customer opens the e-mail and presses its button.
        var mailPage = await browser.NewPageAsync();
        var customerSteps = new Steps(mailPage, $"Languages/{words.TopLevel}/customer");
        await mailPage.SetContentAsync(invitation.Html!);
        await customerSteps.ShotAsync("email");
        await mailPage.GetByRole(AriaRole.Link, new() { Name = words.Activate }).ClickAsync();
        await Expect(mailPage.Locator("html")).ToHaveAttributeAsync("lang", words.TopLevel);
        await customerSteps.ShotAsync("activation-page");
        await mailPage.GetByRole(AriaRole.Button, new() { Name = words.Activate }).ClickAsync();
        await Expect(mailPage.GetByRole(AriaRole.Heading, new() { Name = words.Activated })).ToBeVisibleAsync();
        await customerSteps.ShotAsync("activated");

        await browser.Portal.SendMailAsync();
        var confirmation = Assert.Single(await browser.MailDev.MessagesToAsync(partner));
        Assert.Contains(words.PartnerSubject, confirmation.Subject, StringComparison.Ordinal);

        await mailPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
