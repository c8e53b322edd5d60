using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Account;

/// <summary>Signing in with two factors: password, then a code from an authenticator app, or a recovery code.</summary>
public sealed class TwoFactorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>An account with an authenticator key and two-factor sign-in on; returns the key and recovery codes.</summary>
    private async Task<(string Email, string Key, string[] RecoveryCodes)> TwoFactorAccountAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var user = await factory.CreateUserAsync(email);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        user = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 3))!.ToArray();
        return (email, (await users.GetAuthenticatorKeyAsync(user))!, codes);
    }

    internal static string Totp(string base32Key, DateTimeOffset at) => TestAuthenticator.Totp(base32Key, at);

    private static async Task<HttpResponseMessage> PasswordStepAsync(HttpClient client, string email)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login?returnUrl=%2FRequests");
        return await client.SubmitAsync(page.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalFactory.Password,
        });
    }

    [Fact]
    public async Task PasswordThenAuthenticatorCode_SignsIn_AndAWrongCodeDoesNot()
    {
        var (email, key, _) = await TwoFactorAccountAsync();
        using var client = factory.CreatePortalClient();

        using var password = await PasswordStepAsync(client, email);
        Assert.StartsWith("/Identity/Account/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var step = await client.GetPageAsync(password.Headers.Location!.OriginalString);
        using var wrong = await client.SubmitAsync(step.Form(), values: new Dictionary<string, string> { ["Input.Code"] = "000000" == Totp(key, DateTimeOffset.UtcNow) ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        var again = await Html.ReadAsync(wrong);
        using var right = await client.SubmitAsync(again.Form(), values: new Dictionary<string, string> { ["Input.Code"] = Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Requests", right.Headers.Location!.OriginalString);
        using var requests = await client.GetAsync("/Requests");
        Assert.Equal(HttpStatusCode.OK, requests.StatusCode);
    }

    [Fact]
    public async Task PasswordThenRecoveryCode_SignsInOnce()
    {
        var (email, _, codes) = await TwoFactorAccountAsync();
        using var client = factory.CreatePortalClient();
        using (var password = await PasswordStepAsync(client, email))
        {
            Assert.StartsWith("/Identity/Account/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var page = await client.GetPageAsync("/Identity/Account/LoginWithRecoveryCode?returnUrl=%2FRequests");
        using var signedIn = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string> { ["Input.RecoveryCode"] = codes[0] });

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/Requests", signedIn.Headers.Location!.OriginalString);
    }
}

/// <summary>Turning two-factor sign-in on and off from one's own account pages.</summary>
public sealed class TwoFactorSetupTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task LinkAnApp_WithOneCode_TurnsItOn_ShowsRecoveryCodesOnce_AndSignInThenAsksForACode()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);

        var status = await client.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Contains("off", status.QuerySelector("main .manage-body p")!.TextContent, StringComparison.Ordinal);
        var setup = await client.GetPageAsync("/Identity/Account/Manage/EnableAuthenticator");
        var key = setup.QuerySelector("code.shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.StartsWith("otpauth://totp/", setup.QuerySelector("main ol a")!.GetAttribute("href"), StringComparison.Ordinal);

        using var wrong = await client.SubmitAsync(setup.Form("main form"), values: new Dictionary<string, string> { ["Input.Code"] = "12345" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        using var right = await client.SubmitAsync(setup.Form("main form"), values: new Dictionary<string, string> { ["Input.Code"] = TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal("/Identity/Account/Manage/ShowRecoveryCodes", right.Headers.Location!.OriginalString);
        var codes = await client.GetPageAsync("/Identity/Account/Manage/ShowRecoveryCodes");
        Assert.Equal(10, codes.QuerySelectorAll(".recovery-codes li").Length);
        using (var again = await client.GetAsync("/Identity/Account/Manage/ShowRecoveryCodes"))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        using var other = factory.CreatePortalClient();
        var login = await other.GetPageAsync("/Identity/Account/Login");
        using var password = await other.SubmitAsync(login.Form(), values: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = PortalFactory.Password });
        Assert.StartsWith("/Identity/Account/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var disable = await client.GetPageAsync("/Identity/Account/Manage/Disable2fa");
        using var off = await client.SubmitAsync(disable.Form("main form"));
        var after = await client.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Contains("off", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
    }
}
