using System.Net;
using AngleSharp.Html.Dom;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Localization;

/// <summary>How a language is chosen: saved preference, then the switcher's cookie, then Accept-Language, then English.</summary>
public sealed class LanguageChoiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string path, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Html.ReadAsync(response);
    }

    /// <summary>Presses a language's button in the header's switcher, as a person without JavaScript would.</summary>
    private static async Task<HttpResponseMessage> SwitchAsync(HttpClient client, IHtmlDocument page, string language)
    {
        var form = page.Form("header form.language-switcher");
        var button = form.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Single(b => b.Value == language);
        return await client.SubmitAsync(form, button, new Dictionary<string, string> { ["culture"] = language });
    }

    [Theory]
    [InlineData(null, "en", "Sign in · Smart Account Portal")]
    [InlineData("it-IT,it;q=0.9,en;q=0.5", "it", "Accedi · Portale Smart Account")]
    [InlineData("nl-BE,nl;q=0.8", "nl", "Aanmelden · Smart Account-portaal")]
    [InlineData("fr-FR,fr;q=0.9", "en", "Sign in · Smart Account Portal")]
    public async Task AcceptLanguage_ChoosesTheLanguage_HtmlLangAndTitleFollow(string? acceptLanguage, string lang, string title)
    {
        using var client = factory.CreatePortalClient();
        var page = await GetAsync(client, "/Identity/Account/Login", acceptLanguage);

        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(title, page.Title);
    }

    [Fact]
    public async Task Switcher_WithoutJavaScript_SetsTheLanguage_AndKeepsTheReaderOnThePage()
    {
        using var client = factory.CreatePortalClient();
        var page = await GetAsync(client, "/Identity/Account/ForgotPassword", "it");

        using var switched = await SwitchAsync(client, page, "nl");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/Identity/Account/ForgotPassword", switched.Headers.Location!.OriginalString);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-portal.language=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

        // The cookie now wins over the browser's language.
        var after = await GetAsync(client, "/Identity/Account/ForgotPassword", "it");
        Assert.Equal("nl", after.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Wachtwoord vergeten?", after.QuerySelector("h1")!.TextContent);
        Assert.Equal("true", after.QuerySelector("header .language-switcher button[value=nl]")!.GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task Switcher_IsOnEveryPage_SignedInOrNot_AndOnTheActivationPage()
    {
        var (partner, _) = await factory.NewPartnerAsync();
        using (partner)
        {
            foreach (var path in new[] { "/", "/Requests/New", "/Requests", "/Identity/Account/Manage/ChangePassword" })
            {
                var page = await GetAsync(partner, path);
                Assert.Equal(["en", "it", "nl"], page.QuerySelectorAll("header .language-switcher button").Select(b => b.GetAttribute("value")!));
                Assert.Equal(["English", "Italiano", "Nederlands"], page.QuerySelectorAll("header .language-switcher button").Select(b => b.TextContent.Trim()));
            }
        }

        using var anonymous = factory.CreatePortalClient();
        using var activation = await anonymous.GetAsync("/Activation/" + new string('A', 43));
        var activationPage = await Html.ReadAsync(activation);
        Assert.Equal(3, activationPage.QuerySelectorAll("header .language-switcher button").Length);
    }

    [Fact]
    public async Task SavedPreference_FollowsTheUserToAnotherDevice_AndWinsOverTheCookie()
    {
        var (client, email) = await factory.NewPartnerAsync();
        using (client)
        {
            var page = await GetAsync(client, "/");
            (await SwitchAsync(client, page, "it")).Dispose();
        }

        using var otherDevice = factory.CreatePortalClient();
        var english = await GetAsync(otherDevice, "/Identity/Account/Login");
        (await SwitchAsync(otherDevice, english, "nl")).Dispose();
        Assert.Equal("nl", (await GetAsync(otherDevice, "/")).DocumentElement.GetAttribute("lang"));

        await otherDevice.SignInAsync(email);
        var home = await GetAsync(otherDevice, "/", "nl");
        Assert.Equal("it", home.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Richiedi smart account", home.QuerySelector("nav a[href='/Requests/New']")!.TextContent);
    }

    [Fact]
    public async Task Switcher_UnknownLanguageOrForeignReturnUrl_IsRefusedOrKeptLocal()
    {
        using var client = factory.CreatePortalClient();
        var page = await GetAsync(client, "/");
        var form = page.Form("header form.language-switcher");
        var token = ((IHtmlInputElement)form.QuerySelector("input[name=__RequestVerificationToken]")!).Value;

        using var unknown = await client.PostAsync("/Language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["culture"] = "xx", ["returnUrl"] = "/",
        }));
        using var foreign = await client.PostAsync("/Language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["culture"] = "it", ["returnUrl"] = "https://evil.example/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("/", foreign.Headers.Location!.OriginalString);
    }
}
