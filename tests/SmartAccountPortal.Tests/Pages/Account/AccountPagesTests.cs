using System.Net;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Account;

public sealed class AccountPagesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Lockout_SaysForHowLongAndWhatToDo()
    {
        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/Lockout");

        var alert = page.QuerySelector("[role=alert]")!.TextContent;
        Assert.Contains("paused for 15 minutes", alert, StringComparison.Ordinal);
        var links = page.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/Identity/Account/Login", links);
        Assert.Contains("/Identity/Account/ForgotPassword", links);
        Assert.Contains("https://support.example.com/cases/new?category=software-licensing", links);
    }

    [Fact]
    public async Task NewPasswordFields_ShowAndCarryTheServersRule()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        var reset = await client.GetPageAsync("/Identity/Account/ResetPassword?code=" + Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("a-code"u8.ToArray()));
        await client.SignInAsync(email);
        var change = await client.GetPageAsync("/Identity/Account/Manage/ChangePassword");

        foreach (var (page, field) in new[] { (reset, "Input.Password"), (change, "Input.NewPassword") })
        {
            var input = page.QuerySelector($"input[name='{field}']")!;
            Assert.Equal("12", input.GetAttribute("minlength"));
            Assert.Equal("password", input.GetAttribute("type"));
            var help = page.GetElementById(input.GetAttribute("aria-describedby")!.Split(' ')[0])!;
            Assert.StartsWith("At least 12 characters", help.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ChangePassword_TooShort_IsRefusedNextToTheField_AndTheOldPasswordStillWorks()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        var page = await client.GetPageAsync("/Identity/Account/Manage/ChangePassword");

        using var response = await client.SubmitAsync(page.Form("main form"), values: new Dictionary<string, string>
        {
            ["Input.OldPassword"] = PortalFactory.Password,
            ["Input.NewPassword"] = "elevenchars",
            ["Input.ConfirmPassword"] = "elevenchars",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The password needs at least 12 characters.", (await Html.ReadAsync(response)).QuerySelector("#Input_NewPassword-error")!.TextContent.Trim());
        using var again = factory.CreatePortalClient();
        await again.SignInAsync(email);
    }

    [Fact]
    public async Task AccountPages_LinkOnlyToPagesThatExist_AndTheHeaderLeadsToAccount()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var anonymous = factory.CreatePortalClient();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        string[] anonymousPages =
        [
            "/Identity/Account/Login", "/Identity/Account/ForgotPassword", "/Identity/Account/ForgotPasswordConfirmation",
            "/Identity/Account/ResetPasswordConfirmation", "/Identity/Account/Lockout", "/Identity/Account/AccessDenied", "/Identity/Account/Logout",
        ];
        string[] signedInPages =
        [
            "/", "/Identity/Account/Manage", "/Identity/Account/Manage/ChangePassword", "/Identity/Account/Manage/TwoFactorAuthentication",
            "/Identity/Account/Manage/EnableAuthenticator", "/Identity/Account/Logout",
        ];

        var broken = new List<string>();
        foreach (var (who, pages) in new[] { (anonymous, anonymousPages), (client, signedInPages) })
        {
            foreach (var path in pages)
            {
                using var shown = await who.GetAsync(path);
                var page = await Html.ReadAsync(shown);
                foreach (var href in page.QuerySelectorAll("a[href^='/']").Select(a => a.GetAttribute("href")!).Distinct())
                {
                    using var response = await who.GetAsync(href);
                    if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError)
                    {
                        broken.Add($"{path} links to {href}: {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
        var header = (await client.GetPageAsync("/Requests")).QuerySelector("header .account a")!;
        Assert.Equal("Account", header.TextContent);
        var account = await client.GetPageAsync(header.GetAttribute("href")!);
        Assert.Equal("page", account.QuerySelector("header .account a")!.GetAttribute("aria-current"));
        Assert.Equal(
            ["Profile", "Change password", "Two-factor sign-in"],
            account.QuerySelectorAll("nav.manage-nav a").Select(a => a.TextContent.Trim()));
    }
}
