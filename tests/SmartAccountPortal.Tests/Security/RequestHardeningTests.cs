using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SmartAccountPortal.Areas.Identity.Pages.Account;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Security;

/// <summary>Each root cause of a 500 found by posting hostile forms, answered by a clear 4xx page in the portal's look.</summary>
public sealed class BadRequestTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static ByteArrayContent Form(string body, string contentType = "application/x-www-form-urlencoded")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task<string> LoginTokenAsync(HttpClient client)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login");
        return Uri.EscapeDataString(page.Form().QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);
    }

    public static TheoryData<string, string> UnreadableBodies => new()
    {
        { "too many fields", string.Concat(Enumerable.Range(0, 1500).Select(i => $"&f{i}=1")) },
        { "an oversized key", "&" + new string('k', 3000) + "=1" },
        { "a NUL byte", "&Input.Email=a\0b" },
        { "broken percent escapes", "&Input.Email=%ED%A0%80%FF&Input.Password=%" },
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task Post_BodyTheServerCannotRead_Answers4xxInThePortalsLookNot500(string what, string extra)
    {
        using var client = factory.CreatePortalClient();
        var token = await LoginTokenAsync(client);

        using var response = await client.PostAsync("/Identity/Account/Login", Form("__RequestVerificationToken=" + token + extra));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{what}: {response.StatusCode}");
        Assert.NotNull((await Html.ReadAsync(response)).QuerySelector("header.site-header"));
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7")]
    [InlineData("application/x-www-form-urlencoded; charset=no-such-charset")]
    [InlineData("multipart/form-data; boundary=b")]
    [InlineData("multipart/form-data")]
    public async Task Post_UnsupportedCharsetOrBrokenMultipart_Answers400WithTheErrorPage(string contentType)
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.PostAsync("/Identity/Account/Login", Form("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", contentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ReadAsync(response);
        Assert.Equal("This request could not be handled", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task SignIn_CheckboxWithANonBooleanValue_RedrawsTheFormWithTheUsualMessage()
    {
        using var client = factory.CreatePortalClient();
        var token = await LoginTokenAsync(client);

        using var response = await client.PostAsync("/Identity/Account/Login",
            Form($"__RequestVerificationToken={token}&Input.Email=nobody%40example.com&Input.Password=wrong+password+here&Input.RememberMe=x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ReadAsync(response);
        Assert.Equal(English.Text(LoginModel.FailedKey), page.QuerySelector(".error-summary")!.TextContent.Trim());
        Assert.False(page.QuerySelector("input[name='Input.RememberMe'][type=checkbox]")!.HasAttribute("checked"));
    }

    [Theory]
    [InlineData("name\uFFFE@example.com")]
    [InlineData("\uFDD0@example.com")]
    [InlineData("it%40example.com")]
    public async Task SignIn_NonCharactersOrEscapesInTheAddress_GiveTheUsualFailure(string email)
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/Login");
        using var response = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "not the password at all",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(English.Text(LoginModel.FailedKey), (await Html.ReadAsync(response)).QuerySelector(".error-summary")!.TextContent.Trim());
    }

    [Fact]
    public async Task ForgotPassword_NonCharacterInTheAddress_SaysSoNextToTheField()
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/ForgotPassword");
        using var response = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string> { ["Input.Email"] = "name\uFFFE@example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Enter an e-mail address such as name@example.com.", (await Html.ReadAsync(response)).QuerySelector("#Input_Email-error")!.TextContent.Trim());
    }

    [Fact]
    public async Task PostToPagesThatOnlyShow_Answers405WithAllow()
    {
        var (partner, _) = await factory.NewPartnerAsync();
        using (partner)
        {
            var request = await factory.SubmitAsync(partner, RequestSteps.NewDomain());
            var requestsPage = await partner.GetPageAsync($"/Requests/{request.Reference}");
            var token = requestsPage.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            foreach (var path in new[] { $"/Requests/{request.Reference}", $"/Requests/Complete/{request.Reference}", "/Requests" })
            {
                using var response = await partner.PostAsync(path, Form("__RequestVerificationToken=" + Uri.EscapeDataString(token)));
                Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
                Assert.Contains("GET", response.Content.Headers.Allow);
                Assert.Equal("This request could not be handled", (await Html.ReadAsync(response)).QuerySelector("h1")!.TextContent);
            }
        }
    }

    [Fact]
    public async Task ActivationLink_PostWithoutAHandlerOrWithAnUnknownOne_IsNot500()
    {
        using var client = factory.CreatePortalClient();
        var link = "/Activation/" + new string('A', 43);
        var page = await Html.ReadAsync(await client.GetAsync(link));
        var token = Uri.EscapeDataString(page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "");

        using var post = await client.PostAsync(link, Form("__RequestVerificationToken=" + token));
        using var unknownHandler = await client.GetAsync(link + "?handler=Nope");
        using var put = await client.PutAsync(link, Form("x=1"));

        Assert.True(post.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest, post.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknownHandler.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Theory]
    [InlineData("/Error/0")]
    [InlineData("/Error/101")]
    [InlineData("/Error/200")]
    [InlineData("/Error/99999999999")]
    [InlineData("/Error")]
    [InlineData("/Error/500")]
    public async Task ErrorPage_OpenedDirectly_IsNotAPage(string path)
    {
        using var client = factory.CreatePortalClient();
        using var get = await client.GetAsync(path);
        using var post = await client.PostAsync(path, Form("x=1"));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("Page not found", (await Html.ReadAsync(get)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task ResetPassword_MalformedCode_ShowsAClearPage()
    {
        using var client = factory.CreatePortalClient();
        foreach (var code in new[] { "%%%", "not-base64!", "_-_", "AAAA", "" })
        {
            using var response = await client.GetAsync("/Identity/Account/ResetPassword?code=" + Uri.EscapeDataString(code));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Html.ReadAsync(response);
            Assert.Equal("This link does not work", page.QuerySelector("h1")!.TextContent);
            Assert.Contains(page.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "/Identity/Account/ForgotPassword");
        }
    }

    [Theory]
    [InlineData("/Identity/Account/LoginWith2fa")]
    [InlineData("/Identity/Account/LoginWithRecoveryCode")]
    public async Task TwoFactorPages_OpenedWithoutAPasswordStep_SendToSignIn(string path)
    {
        using var client = factory.CreatePortalClient();
        using var get = await client.GetAsync(path + "?returnUrl=%2FRequests");

        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Equal("/Identity/Account/Login?ReturnUrl=%2FRequests", get.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/é")]
    [InlineData("/Requests\u0001")]
    public async Task SignOut_WithAnExternalOrStrangeReturnUrl_StaysOnThePortal(string returnUrl)
    {
        var (client, _) = await factory.NewPartnerAsync();
        using (client)
        {
            var page = await client.GetPageAsync("/Identity/Account/Logout");
            var form = page.Form();
            var action = "/Identity/Account/Logout?returnUrl=" + Uri.EscapeDataString(returnUrl);
            var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

            using var response = await client.PostAsync(action, Form("__RequestVerificationToken=" + Uri.EscapeDataString(token)));

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Identity/Account/Logout", response.Headers.Location!.OriginalString);
            var signedOut = await client.GetPageAsync("/Identity/Account/Logout");
            Assert.Equal("Signed out", signedOut.QuerySelector("h1")!.TextContent);
        }
    }

    [Theory]
    [InlineData("/é", "/")]
    [InlineData("/Requests\u0001", "/")]
    [InlineData("~//evil.example", "/")]
    [InlineData("/Requests?status=Pending", "/Requests?status=Pending")]
    public async Task SignIn_WithAStrangeButLocalReturnUrl_LandsSomewhereSafe(string returnUrl, string expected)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/Login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var response = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalFactory.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }
}
