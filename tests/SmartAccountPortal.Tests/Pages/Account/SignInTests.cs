using System.Net;
using SmartAccountPortal.Areas.Identity.Pages.Account;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Account;

public sealed class SignInTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    private static async Task<HttpResponseMessage> TrySignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login");
        return await client.SubmitAsync(page.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    [Fact]
    public async Task Home_SignedOut_SaysWhatThePortalIsAndOffersSignIn()
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/");
        Assert.Contains("Smart Account", page.QuerySelector("main p")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.TextContent == "Sign in" && a.GetAttribute("href") == "/Identity/Account/Login");
        Assert.DoesNotContain(page.QuerySelectorAll("a"), a => a.TextContent == "Request Smart Account");
    }

    [Fact]
    public async Task SignIn_RightPassword_StartsASessionWithAHardenedCookie()
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();

        using var response = await TrySignInAsync(client, email, PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-portal.session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);

        var home = await client.GetPageAsync("/");
        Assert.Equal(email, home.QuerySelector(".account .signed-in-as")!.TextContent);
        var account = home.QuerySelector(".account a")!;
        Assert.Equal(("Account", "/Identity/Account/Manage"), (account.TextContent, account.GetAttribute("href")));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.StartsWith("Error Microsoft.AspNetCore.Identity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownAccount_GivesTheSameAnswer()
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();

        using var wrong = await TrySignInAsync(client, email, "not the password at all");
        using var unknown = await TrySignInAsync(client, NewEmail(), "not the password at all");

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var wrongPage = await Html.ReadAsync(wrong);
        var summary = wrongPage.QuerySelector(".error-summary")!;
        var wrongMessage = summary.TextContent.Trim();
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.True(summary.HasAttribute("autofocus"), "The refusal takes the focus, so the reader starts there.");
        Assert.Single(wrongPage.QuerySelectorAll("[autofocus]"));
        var unknownMessage = (await Html.ReadAsync(unknown)).QuerySelector(".error-summary")!.TextContent.Trim();
        Assert.Equal(English.Text(LoginModel.FailedKey), wrongMessage);
        Assert.Equal(wrongMessage, unknownMessage);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();

        for (var i = 0; i < 4; i++)
        {
            using var failed = await TrySignInAsync(client, email, "wrong password " + i);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var fifth = await TrySignInAsync(client, email, "wrong password 5");
        Assert.Equal("/Identity/Account/Lockout", fifth.Headers.Location?.OriginalString);

        using var right = await TrySignInAsync(client, email, PortalFactory.Password);
        Assert.Equal("/Identity/Account/Lockout", right.Headers.Location?.OriginalString);
        using var requests = await client.GetAsync("/Requests/New");
        Assert.Equal(HttpStatusCode.Redirect, requests.StatusCode);
        Assert.Contains("/Identity/Account/Login", requests.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);

        var home = await client.GetPageAsync("/");
        var signOut = home.Form(".account form");
        using var response = await client.SubmitAsync(signOut, signOut.Button("Sign out"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        using var requests = await client.GetAsync("/Requests/New");
        Assert.Equal(HttpStatusCode.Redirect, requests.StatusCode);
    }

    [Theory]
    [InlineData("/Identity/Account/Manage")]
    [InlineData("/Identity/Account/Manage/ChangePassword")]
    [InlineData("/Identity/Account/ForgotPasswordConfirmation")]
    [InlineData("/Identity/Account/Lockout")]
    public async Task AccountPages_WearThePortalsLayout(string path)
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);

        var page = await client.GetPageAsync(path);

        Assert.NotNull(page.QuerySelector("header.site-header a.brand"));
        Assert.Single(page.QuerySelectorAll("header"), h => h.ClassList.Contains("site-header"));
        Assert.Null(page.QuerySelector("link[href*='bootstrap']"));
    }

    [Theory]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/RegisterConfirmation")]
    [InlineData("/Identity/Account/ExternalLogin")]
    [InlineData("/Identity/Account/ResendEmailConfirmation")]
    public async Task SelfRegistration_IsNotOffered(string path)
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var login = await client.GetPageAsync("/Identity/Account/Login");
        Assert.DoesNotContain(login.QuerySelectorAll("a"), a => a.GetAttribute("href")?.Contains("Register", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ForgotPassword_KnownAndUnknownAddress_AnswerAlikeAndOnlyTheKnownGetsALinkOnThePublicAddress()
    {
        var email = NewEmail();
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();

        async Task<HttpResponseMessage> AskAsync(string address)
        {
            var page = await client.GetPageAsync("/Identity/Account/ForgotPassword");
            return await client.SubmitAsync(page.Form("main form"), values: new Dictionary<string, string> { ["Input.Email"] = address });
        }

        var stranger = NewEmail();
        using var known = await AskAsync(email);
        using var unknown = await AskAsync(stranger);

        Assert.Equal("/Identity/Account/ForgotPasswordConfirmation", known.Headers.Location?.OriginalString);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        await factory.SendMailAsync();

        var messages = Directory.GetFiles(factory.MailDirectory, "*.eml").Select(f => EmlFile.Parse(File.ReadAllText(f))).ToList();
        var message = Assert.Single(messages, m => m.To.Contains(email, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.To.Contains(stranger, StringComparison.Ordinal));
        Assert.Contains("https://portal.test/Identity/Account/ResetPassword?code=", message.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://portal.test/Identity/Account/ResetPassword?code=", message.Html, StringComparison.Ordinal);
    }
}

public sealed class PasswordResetTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task ResetLink_LetsTheUserChooseANewPassword_AndOnlyTheNewOneSignsIn()
    {
        var email = $"forgetful-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        var forgot = await client.GetPageAsync("/Identity/Account/ForgotPassword");
        using (await client.SubmitAsync(forgot.Form("main form"), values: new Dictionary<string, string> { ["Input.Email"] = email }))
        {
        }

        await factory.SendMailAsync();
        var mail = Directory.GetFiles(factory.MailDirectory, "*.eml").Select(f => EmlFile.Parse(File.ReadAllText(f)))
            .Single(m => m.To.Contains(email, StringComparison.Ordinal));
        var link = new Uri(MailText.Link(mail.Text, "https://portal.test/"));

        var reset = await client.GetPageAsync(link.PathAndQuery);
        using var done = await client.SubmitAsync(reset.Form("main form"), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "a brand new passphrase",
            ["Input.ConfirmPassword"] = "a brand new passphrase",
        });
        Assert.Equal("/Identity/Account/ResetPasswordConfirmation", done.Headers.Location?.OriginalString);

        using var fresh = factory.CreatePortalClient();
        await fresh.SignInAsync(email, "a brand new passphrase");
        using var old = factory.CreatePortalClient();
        var login = await old.GetPageAsync("/Identity/Account/Login");
        using var refused = await old.SubmitAsync(login.Form(), values: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = PortalFactory.Password });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
    }
}

/// <summary>A portal whose sign-in allows two attempts a minute.</summary>
public sealed class RateLimitedPortalFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("RateLimits:SignInPerMinute", "2")];
}

public sealed class SignInRateLimitTests(RateLimitedPortalFactory factory) : IClassFixture<RateLimitedPortalFactory>
{
    [Fact]
    public async Task SignIn_MoreAttemptsThanTheLimit_Answers429WithRetryAfter()
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/Login");
        var values = new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "guess guess guess" };

        using var first = await client.SubmitAsync(page.Form(), values: values);
        using var second = await client.SubmitAsync(page.Form(), values: values);
        using var third = await client.SubmitAsync(page.Form(), values: values);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing.");

        // Looking at the form is never limited.
        using var show = await client.GetAsync("/Identity/Account/Login");
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
    }
}
