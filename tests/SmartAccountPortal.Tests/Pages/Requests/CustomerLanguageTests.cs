using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Requests;

/// <summary>The customer's language: guessed from the domain, chosen by the partner, kept with the request, used for the activation page.</summary>
public sealed class CustomerLanguageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string Domain(string topLevel) => $"c{Guid.NewGuid():N}"[..16] + "." + topLevel;

    private static async Task<IHtmlDocument> ReviewAsync(HttpClient client, string domain, string language)
    {
        var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
        using var response = await client.SubmitAsync(form, (IHtmlButtonElement)form.QuerySelector("button[type=submit]")!, new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso Pharmaceuticals",
            ["Input.CustomerEmail"] = $"it.lead@{domain}",
            ["Input.AccountDomain"] = domain,
            ["Input.CustomerLanguage"] = language,
        });
        return await client.ReadFollowingAsync(response);
    }

    private static string ReviewedLanguage(IHtmlDocument page)
    {
        var dialog = page.QuerySelector("[role=dialog]")!;
        var values = dialog.QuerySelectorAll("dt").Zip(dialog.QuerySelectorAll("dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        return values.Single(v => v.Key is "Customer Language" or "Lingua del cliente" or "Taal klant").Value;
    }

    [Theory]
    [InlineData("it", "", "Italiano")]
    [InlineData("nl", "", "Nederlands")]
    [InlineData("com", "", "English")]
    [InlineData("it", "nl", "Nederlands")]
    [InlineData("com", "it", "Italiano")]
    public async Task Review_GuessesTheLanguageFromTheDomain_UnlessThePartnerChose(string topLevel, string chosen, string shown)
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var page = await ReviewAsync(client, Domain(topLevel), chosen);
            Assert.Equal(shown, ReviewedLanguage(page));
        }
    }

    [Fact]
    public async Task Review_OtherDomain_TakesThePartnersOwnLanguage()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var home = await client.GetPageAsync("/");
            var switcher = home.Form("header form.language-switcher");
            (await client.SubmitAsync(switcher, switcher.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Single(b => b.Value == "it"), new Dictionary<string, string> { ["culture"] = "it" })).Dispose();

            var page = await ReviewAsync(client, Domain("com"), "");
            Assert.Equal("Italiano", ReviewedLanguage(page));
        }
    }

    [Fact]
    public async Task Submit_StoresTheLanguage_ShowsIt_RequestAgainKeepsIt_AndTheActivationPageOpensInIt()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var domain = Domain("nl");
            var review = await ReviewAsync(client, domain, "");
            var dialog = review.Form("[role=dialog] form");
            using (var submitted = await client.SubmitAsync(dialog, (IHtmlButtonElement)dialog.QuerySelector("button")!))
            {
                Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            }

            var stored = await factory.WithDbAsync(db => db.Requests.SingleAsync(r => r.AccountDomain == domain));
            Assert.Equal("nl", stored.CustomerLanguage);
            var details = await client.GetPageAsync($"/Requests/{stored.Reference}");
            Assert.Contains(details.QuerySelectorAll("dl.details dd"), dd => dd.TextContent == "Nederlands" && dd.GetAttribute("lang") == "nl");

            await factory.SendMailAsync();
            var link = new Uri(MailText.Link(factory.MailTo($"it.lead@{domain}").First().Text, "/Activation/")).AbsolutePath;
            using var customer = factory.CreatePortalClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            request.Headers.Add("Accept-Language", "en-GB,en;q=0.9");
            using var activation = await customer.SendAsync(request);
            var page = await Html.ReadAsync(activation);
            Assert.Equal("nl", page.DocumentElement.GetAttribute("lang"));
            Assert.Equal("Activeer het Smart Account van uw bedrijf", page.QuerySelector("h1")!.TextContent);

            // The customer's own choice wins.
            var switcher = page.Form("header form.language-switcher");
            (await customer.SubmitAsync(switcher, switcher.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Single(b => b.Value == "it"), new Dictionary<string, string> { ["culture"] = "it" })).Dispose();
            Assert.Equal("it", (await customer.GetPageAsync(link)).DocumentElement.GetAttribute("lang"));
        }
    }

    [Fact]
    public async Task RequestAgain_KeepsTheLanguage_AndAnUnknownOneIsRefused()
    {
        var (client, email) = await factory.NewPartnerAsync();
        using (client)
        {
            var seeded = await factory.SeedRequestsAsync(email, 1);
            await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE AccountRequests SET Status = 'Expired', CustomerLanguage = 'it' WHERE Id = {seeded[0].Id}"));

            var again = await client.GetPageAsync("/Requests/New?from=" + seeded[0].Reference);
            Assert.Equal("it", ((IHtmlSelectElement)again.QuerySelector("select[name='Input.CustomerLanguage']")!).Value);

            var refused = await ReviewAsync(client, Domain("com"), "xx");
            Assert.Null(refused.QuerySelector("[role=dialog]"));
            Assert.Equal("Choose one of the languages in the list.", refused.QuerySelector("#Input_CustomerLanguage-error")!.TextContent.Trim());
        }
    }
}
