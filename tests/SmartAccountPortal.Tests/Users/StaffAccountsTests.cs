using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Tests.Users;

/// <summary>Staff sign in with two factors; deactivated accounts cannot sign in, and their sessions end.</summary>
public sealed class StaffAccountsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string SetUp = "/Identity/Account/Manage/EnableAuthenticator";

    private static async Task<HttpResponseMessage> PasswordStepAsync(HttpClient client, string email, string password = PortalFactory.Password)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login?returnUrl=%2FSupport");
        return await client.SubmitAsync(page.Form(), values: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Administrator)]
    public async Task StaffWithoutAnAuthenticator_ReachNoStaffPage_UntilTheySetOneUp(string role)
    {
        var email = $"staff-{Guid.NewGuid():N}@vendor.example";
        await factory.CreateUserAsync(email, role, twoFactor: false);
        using var client = factory.CreatePortalClient();

        // The password alone leads to the set-up page, and so does every staff page.
        using (var password = await PasswordStepAsync(client, email))
        {
            Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
            Assert.Equal(SetUp, password.Headers.Location!.OriginalString);
        }

        foreach (var staffPage in new[] { "/Support", "/Support?q=contoso", "/Support?handler=Export", "/Support/Requests/SA-00000000" })
        {
            using var refused = await client.GetAsync(staffPage);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal(SetUp, refused.Headers.Location!.OriginalString);
        }

        // The set-up page says why, and one code from the app turns it on.
        var setUp = await client.GetPageAsync(SetUp);
        Assert.Contains("Staff accounts sign in with an authenticator app", setUp.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var key = setUp.QuerySelector("code.shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        using (var enabled = await client.SubmitAsync(setUp.Form("main form"), values: new Dictionary<string, string> { ["Input.Code"] = TestAuthenticator.Totp(key, DateTimeOffset.UtcNow) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        using var open = await client.GetAsync("/Support");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);

        // Next time, the password leads to the code step, and the code to the console.
        using var next = factory.CreatePortalClient();
        using (var password = await PasswordStepAsync(next, email))
        {
            Assert.Contains("/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var codeStep = await next.GetPageAsync("/Identity/Account/LoginWith2fa?ReturnUrl=%2FSupport");
        using (var signedIn = await next.SubmitAsync(codeStep.Form(), values: new Dictionary<string, string> { ["Input.Code"] = TestAuthenticator.Totp(key, DateTimeOffset.UtcNow) }))
        {
            Assert.Equal("/Support", signedIn.Headers.Location!.OriginalString);
        }

        using var console = await next.GetAsync("/Support");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task Staff_CannotTurnTwoFactorOff_PartnersCan()
    {
        var (staff, _) = await factory.NewSupportAsync();
        var status = await staff.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Empty(status.QuerySelectorAll("a[href$='/Disable2fa']"));
        using (var get = await staff.GetAsync("/Identity/Account/Manage/Disable2fa"))
        {
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        }

        var after = await staff.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Contains("Staff accounts keep two-factor sign-in on.", after.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        using var console = await staff.GetAsync("/Support");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);

        var partnerEmail = $"p-{Guid.NewGuid():N}@reseller.example";
        await factory.CreateUserAsync(partnerEmail, twoFactor: true);
        using var partner = factory.CreatePortalClient();
        await partner.SignInAsync(partnerEmail);
        var partnerStatus = await partner.GetPageAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Single(partnerStatus.QuerySelectorAll("a[href$='/Disable2fa']"));
    }

    [Fact]
    public async Task Deactivated_CannotSignIn_AndTheirOpenSessionEndsAtItsNextRequest()
    {
        var (client, email) = await factory.NewPartnerAsync();
        using (var before = await client.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var scope = factory.Services.CreateScope())
        {
            Assert.True((await ChangeAsync(scope.ServiceProvider, email, (a, p) => a.DeactivateAsync(p, by: null))).Succeeded);
        }

        using (var after = await client.GetAsync("/Requests"))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.StartsWith("/Identity/Account/Login", after.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }

        // The right password hears the account is deactivated; a wrong one hears what anyone would.
        using var again = factory.CreatePortalClient();
        using (var right = await PasswordStepAsync(again, email))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            var page = await Html.ReadAsync(right);
            Assert.Contains("This account has been deactivated.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }

        using (var wrong = await PasswordStepAsync(again, email, "not the password at all"))
        {
            var page = await Html.ReadAsync(wrong);
            Assert.DoesNotContain("deactivated", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("The e-mail address or password is not right.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }

        using (var scope = factory.Services.CreateScope())
        {
            Assert.True((await ChangeAsync(scope.ServiceProvider, email, (a, p) => a.ReactivateAsync(p, by: null))).Succeeded);
        }

        await again.SignInAsync(email);
        using var back = await again.GetAsync("/Requests");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task ANewPasswordElsewhere_EndsTheOtherSessions_ButNotTheOneThatChangedIt()
    {
        var (first, email) = await factory.NewPartnerAsync();
        using var second = factory.CreatePortalClient();
        await second.SignInAsync(email);

        var change = await second.GetPageAsync("/Identity/Account/Manage/ChangePassword");
        using (var changed = await second.SubmitAsync(change.Form("main form"), values: new Dictionary<string, string>
        {
            ["Input.OldPassword"] = PortalFactory.Password,
            ["Input.NewPassword"] = "another long enough password",
            ["Input.ConfirmPassword"] = "another long enough password",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        using var stillIn = await second.GetAsync("/Requests");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        using var ended = await first.GetAsync("/Requests");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
    }

    [Fact]
    public async Task TheLastActiveAdministrator_CannotBeDeactivated()
    {
        using var scope = factory.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        foreach (var other in await users.GetUsersInRoleAsync(Roles.Administrator))
        {
            Assert.True((await accounts.DeactivateAsync(other, by: null)).Succeeded);
        }

        var first = $"admin-{Guid.NewGuid():N}@vendor.example";
        var second = $"admin-{Guid.NewGuid():N}@vendor.example";
        await factory.CreateUserAsync(first, Roles.Administrator);
        await factory.CreateUserAsync(second, Roles.Administrator);

        Assert.True((await ChangeAsync(scope.ServiceProvider, first, (a, p) => a.DeactivateAsync(p, by: null))).Succeeded);
        var refused = await ChangeAsync(scope.ServiceProvider, second, (a, p) => a.DeactivateAsync(p, by: null));
        Assert.Equal("People.LastAdministrator", refused.ProblemKey);
    }

    /// <summary>Finds the account with <paramref name="email"/> and changes it as the `users` command does.</summary>
    internal static async Task<AccountChange> ChangeAsync(IServiceProvider services, string email, Func<UserAccounts, PortalUser, Task<AccountChange>> change)
    {
        var accounts = services.GetRequiredService<UserAccounts>();
        return await change(accounts, (await accounts.FindAsync(email))!);
    }
}

/// <summary>A portal where staff may sign in with a password alone.</summary>
public sealed class NoStaffTwoFactorFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Accounts:RequireTwoFactorForStaff", "false")];
}

public sealed class NoStaffTwoFactorTests(NoStaffTwoFactorFactory factory) : IClassFixture<NoStaffTwoFactorFactory>
{
    [Fact]
    public async Task WithTheRequirementOff_StaffOpenTheConsoleWithTheirPassword()
    {
        var email = $"staff-{Guid.NewGuid():N}@vendor.example";
        await factory.CreateUserAsync(email, Roles.Support, twoFactor: false);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        using var console = await client.GetAsync("/Support");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }
}
