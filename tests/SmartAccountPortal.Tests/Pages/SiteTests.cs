using System.Net;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages;

public sealed class SiteTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Health_DatabaseAnswers_Is200()
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = factory.CreatePortalClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "portal.test";
        using var response = await client.SendAsync(request);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task UnknownPage_Answers404WithThePortalsOwnPage()
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ReadAsync(response);
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("header.site-header"));
    }

    [Fact]
    public async Task Antiforgery_PostWithoutToken_IsRefused()
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.PostAsync("/Identity/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "x@example.com",
            ["Input.Password"] = "whatever whatever",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Navigation_MarksThePageTheReaderIsOn()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var page = await client.GetPageAsync("/Requests");
            var navigation = page.QuerySelector("header nav")!;
            var current = Assert.Single(navigation.QuerySelectorAll("a[aria-current]"));
            Assert.Equal("page", current.GetAttribute("aria-current"));
            Assert.Equal("/Requests", current.GetAttribute("href"));

            page = await client.GetPageAsync("/Requests/New");
            Assert.Equal("/Requests/New", Assert.Single(page.QuerySelectorAll("header nav a[aria-current=page]")).GetAttribute("href"));
        }
    }

    [Fact]
    public async Task SignIn_IsOfferedInTheHeader_OnlyWhereSigningInMakesSense()
    {
        var (partner, _) = await factory.NewPartnerAsync();
        var request = await factory.SubmitAsync(partner, RequestSteps.NewDomain());
        partner.Dispose();
        await factory.SendMailAsync();
        var link = MailText.Link(factory.MailTo(request.CustomerEmail).Single().Text, "/Activation/");

        using var client = factory.CreatePortalClient();
        static int SignInLinks(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelectorAll("header a[href='/Identity/Account/Login']").Length;
        Assert.Equal(1, SignInLinks(await client.GetPageAsync("/")));
        Assert.Equal(1, SignInLinks(await client.GetPageAsync("/Identity/Account/ForgotPassword")));
        Assert.Equal(0, SignInLinks(await client.GetPageAsync("/Identity/Account/Login")));
        Assert.Equal(0, SignInLinks(await client.GetPageAsync(new Uri(link).PathAndQuery)));
    }

    [Fact]
    public async Task Favicon_IsLinkedFromEveryPage_AndServed()
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/");
        var icon = page.QuerySelector("link[rel=icon]")!.GetAttribute("href")!;
        using var response = await client.GetAsync(icon);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ClosedRequest_ShowsWhenItClosed_NotWhenItWouldHaveExpired()
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var request = await factory.SubmitAsync(client, RequestSteps.NewDomain());
            var open = await client.GetPageAsync($"/Requests/{request.Reference}");
            Assert.Contains(open.QuerySelectorAll("main dl.details dt"), dt => dt.TextContent == "Expires");

            await factory.WithDbAsync(async db =>
            {
                var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
                tracked.Cancel("test", factory.Clock.GetUtcNow().UtcDateTime, null);
                return await db.SaveChangesAsync();
            });

            var closed = await client.GetPageAsync($"/Requests/{request.Reference}");
            var terms = closed.QuerySelectorAll("main dl.details dt").Select(dt => dt.TextContent).ToList();
            Assert.DoesNotContain("Expires", terms);
            Assert.Contains("Closed", terms);
            Assert.DoesNotContain("Expires", closed.QuerySelector("main dl.details .state")!.ParentElement!.TextContent, StringComparison.Ordinal);
        }
    }
}

/// <summary>A portal whose database has lost a table: every page that reads requests fails.</summary>
public sealed class BrokenDatabaseTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task UnhandledError_ShowsAReferenceAndTheSupportLinkButNoStackTrace()
    {
        var email = $"partner-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE RequestEvents; DROP TABLE AccountRequests;"));

        using var response = await client.GetAsync("/Requests/Complete/SA-ABCDEFGH");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await Html.ReadAsync(response);
        Assert.Equal("Something went wrong", page.QuerySelector("h1")!.TextContent);
        Assert.Matches("^[0-9a-f]{32}$", page.QuerySelector(".reference code")!.TextContent);
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "https://support.example.com/cases/new?category=software-licensing");
        Assert.DoesNotContain("SqliteException", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountRequests", html, StringComparison.Ordinal);
    }
}
