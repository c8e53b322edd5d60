using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// Every page and state a visitor, a partner, a customer and support see, in each language, at
/// 1280 px and at 320 px: no axe-core violation (WCAG 2.2 A and AA) and no sideways scrolling.
/// The pages are reached as people reach them, with selectors that do not depend on the language.
/// </summary>
public sealed class EveryPageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string> Languages => new() { "en", "it", "nl" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryPage_PassesAxe_AndNeverScrollsSideways_AtDesktopAndPhoneWidths(string language)
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        var support = $"support-{Guid.NewGuid():N}@vendor.example";
        var partnerUser = await browser.Portal.CreateUserAsync(partner);
        await browser.Portal.CreateUserAsync(support, Roles.Support);

        // The partner also administers their organisation, so their People page is checked too.
        await browser.Portal.WithDbAsync(db => Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlInterpolatedAsync(
            db.Database, $"UPDATE AspNetUsers SET AdministersOrganisation = 1 WHERE Id = {partnerUser.Id}"));
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";
        var check = new PageChecks(language);

        // A visitor: the home page, signing in (also with a wrong password), a forgotten password, errors.
        var visitor = await browser.NewPageAsync(locale: language);
        await check.AtAsync(visitor, "/");
        await check.AtAsync(visitor, "/Identity/Account/Login");
        await PartnerSteps.SubmitSignInAsync(visitor, partner, "not the password");
        await check.CheckAsync(visitor, "sign-in refused");
        await check.AtAsync(visitor, "/Identity/Account/ForgotPassword");
        await check.AtAsync(visitor, "/Identity/Account/ForgotPasswordConfirmation");
        await check.AtAsync(visitor, "/Identity/Account/Lockout");
        await check.AtAsync(visitor, "/Identity/Account/ResetPassword?code=" + Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("a-code"u8.ToArray()));
        await check.AtAsync(visitor, "/Identity/Account/ResetPasswordConfirmation");
        await check.AtAsync(visitor, "/Identity/Account/Logout");
        await check.AtAsync(visitor, "/no-such-page");
        await check.AtAsync(visitor, "/Activation/" + new string('A', 43));

        // A partner: the request form, its errors, the Review Request dialog, the lists, the account.
        var page = await browser.NewPageAsync(locale: language);
        await PartnerSteps.SignInByFormAsync(page, partner);
        await check.AtAsync(page, "/");
        await check.AtAsync(page, "/Requests/New");
        await page.Locator("#request-form button[type=submit]").ClickAsync();
        await check.CheckAsync(page, "request form with errors");
        await page.Locator("#Input_AccountName").FillAsync("Contoso Pharmaceuticals");
        await page.Locator("#Input_CustomerEmail").FillAsync(customer);
        await page.Locator("#Input_AccountDomain").FillAsync(domain);
        await page.Locator("#Input_NoteToCustomer").FillAsync("Please accept this week.");
        await page.Locator("#Input_UserEmails").FillAsync($"ann@{domain}, bob@{domain}");
        await page.Locator("#request-form button[type=submit]").ClickAsync();
        await page.Locator("#review-dialog").WaitForAsync();
        await check.CheckAsync(page, "Review Request dialog");
        await page.Locator("#review-dialog button[type=submit]:not([data-back])").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Requests/Complete/", StringComparison.Ordinal));
        await check.CheckAsync(page, "Smart Account Request Complete");
        var reference = page.Url.Split('/')[^1];
        await check.AtAsync(page, "/Requests");
        await check.AtAsync(page, "/Requests?state=Pending");
        await check.AtAsync(page, "/Requests?q=contoso");
        await check.AtAsync(page, "/Requests?q=nothing-matches-this");
        await check.AtAsync(page, $"/Requests/{reference}");
        await check.AtAsync(page, $"/Requests/{reference}/Cancel");
        await check.AtAsync(page, "/Support");
        await check.AtAsync(page, "/Organisation/People");
        await page.Locator("#invite-form button[type=submit]").ClickAsync();
        await check.CheckAsync(page, "invite a colleague, with errors");
        await check.AtAsync(page, "/Organisation/ApiKeys");
        await page.Locator("#create-form button[type=submit]").ClickAsync();
        await check.CheckAsync(page, "API key without a name");
        await page.Locator("#Name").FillAsync("Ordering system");
        await page.Locator("#create-form button[type=submit]").ClickAsync();
        await page.Locator("#new-key").WaitForAsync();
        await check.CheckAsync(page, "API key made, shown once, listed");
        await check.AtAsync(page, "/Organisation/Webhooks");
        await page.Locator("#add-form input[name=Events]").First.UncheckAsync();
        await page.Locator("#Address").FillAsync("http://crm.example.com/hooks");
        await page.Locator("#add-form button[type=submit]").ClickAsync();
        await check.CheckAsync(page, "webhook endpoint with errors");
        await page.Locator("#Address").FillAsync("https://crm.example.com/hooks/smart-accounts");
        await page.Locator("#add-form button[type=submit]").ClickAsync();
        await page.Locator("#new-secret").WaitForAsync();
        await check.CheckAsync(page, "webhook endpoint added, secret shown once");
        await page.Locator("#new-secret-heading ~ p a").ClickAsync();
        await page.Locator("#endpoint-url").WaitForAsync();
        await page.Locator("form[action*='handler=Test'] button").ClickAsync();
        await page.Locator("#deliveries").WaitForAsync();
        await check.CheckAsync(page, "webhook endpoint with its delivery log");
        await check.AtAsync(page, "/ApiReference");
        foreach (var manage in new[] { "", "/ChangePassword", "/TwoFactorAuthentication", "/EnableAuthenticator" })
        {
            await check.AtAsync(page, "/Identity/Account/Manage" + manage);
        }

        await check.AtAsync(page, "/Identity/Account/Logout");

        // The customer: the activation page, declining, and the page after activating.
        await browser.Portal.SendMailAsync();
        var link = MailText.Link(browser.Portal.MailTo(customer).Single().Text, "/Activation/");
        var customerPage = await browser.NewPageAsync(locale: language);
        await check.AtAsync(customerPage, link);
        await customerPage.Locator("form[action*='handler=Decline'] button[type=submit]").ClickAsync();
        await check.CheckAsync(customerPage, "decline, to confirm");
        await customerPage.GotoAsync(link);
        await customerPage.Locator("form[action*='handler=Activate'] button[type=submit]").ClickAsync();
        await customerPage.WaitForLoadStateAsync();
        await check.CheckAsync(customerPage, "activated");
        await check.AtAsync(page, $"/Requests/{reference}");

        // Support: the console, a search, a request with its history and e-mails, a cancellation.
        var supportPage = await browser.NewPageAsync(locale: language);
        await PartnerSteps.SignInByFormAsync(supportPage, support);
        await check.AtAsync(supportPage, "/");
        await check.AtAsync(supportPage, "/Support");
        await check.AtAsync(supportPage, "/Support?q=" + Uri.EscapeDataString(domain));
        await check.AtAsync(supportPage, $"/Support/Requests/{reference}");
        var pending = (await browser.Portal.SeedRequestsAsync(partner, 1))[0].Reference;
        await check.AtAsync(supportPage, $"/Support/Requests/{pending}/Cancel");
        await supportPage.Locator("main form button[type=submit]").ClickAsync();
        await check.CheckAsync(supportPage, "support cancel without a reason");
        await supportPage.Locator("#Input_Reason").FillAsync("Duplicate of another account.");
        await supportPage.Locator("main form button[type=submit]").ClickAsync();
        await supportPage.WaitForURLAsync(url => url.EndsWith("/Support/Requests/" + pending, StringComparison.Ordinal));
        await check.CheckAsync(supportPage, "support cancelled, with its message");

        // An administrator: the invitations page, the invite form with its errors, a sent invitation
        // in the list; the invited person's page behind the link (also with an error), an unknown link.
        var administrator = $"admin-{Guid.NewGuid():N}@vendor.example";
        await browser.Portal.CreateUserAsync(administrator, Roles.Administrator);
        var adminPage = await browser.NewPageAsync(locale: language);
        await PartnerSteps.SignInByFormAsync(adminPage, administrator);
        await check.AtAsync(adminPage, "/Admin/Invitations");
        await adminPage.Locator("#invite-form button[type=submit]").ClickAsync();
        await check.CheckAsync(adminPage, "invite form with errors");
        var invited = $"invited-{Guid.NewGuid():N}@reseller.example";
        await adminPage.Locator("#Input_Email").FillAsync(invited);
        await adminPage.Locator("#Input_Organisation").FillAsync("Northwind Partners");
        await adminPage.Locator("#invite-form button[type=submit]").ClickAsync();
        await adminPage.Locator("main table").WaitForAsync();
        await check.CheckAsync(adminPage, "invitation sent and listed");
        while (await browser.Portal.SendMailAsync() > 0)
        {
        }

        // People and organisations: the lists, a person with the actions and the role form (also
        // with an error), an organisation with its rename form (also with an error), the audit list.
        var (partnerId, organisationId) = (partnerUser.Id, partnerUser.OrganisationId!.Value);
        await check.AtAsync(adminPage, "/Staff/People");
        await check.AtAsync(adminPage, "/Staff/People?state=invited");
        await check.AtAsync(adminPage, $"/Staff/People/Person/{partnerId}");
        await adminPage.Locator("#Input_Role").SelectOptionAsync(Roles.Support);
        await adminPage.Locator("#role-form button[type=submit]").ClickAsync();
        await check.CheckAsync(adminPage, "role change with an error");
        await check.AtAsync(adminPage, "/Staff/Organisations");
        await check.AtAsync(adminPage, $"/Staff/Organisations/Organisation/{organisationId}");
        await adminPage.Locator("#Name").FillAsync("");
        await adminPage.Locator("#rename-form button[type=submit]").ClickAsync();
        await check.CheckAsync(adminPage, "rename with an error");
        await check.AtAsync(adminPage, "/Admin/Audit");
        await check.AtAsync(supportPage, $"/Staff/People/Person/{partnerId}");
        await check.AtAsync(supportPage, "/Staff/Organisations");

        var invitationLink = MailText.Link(browser.Portal.MailTo(invited).Single().Text, "/Invitation/");
        var invitedPage = await browser.NewPageAsync(locale: language);
        await check.AtAsync(invitedPage, invitationLink);
        await invitedPage.Locator("main form button[type=submit]").ClickAsync();
        await check.CheckAsync(invitedPage, "invitation without a password");
        await check.AtAsync(invitedPage, "/Invitation/" + new string('A', 43));

        // Staff without an authenticator app: signing in leads to setting one up.
        var newStaff = $"new-staff-{Guid.NewGuid():N}@vendor.example";
        await browser.Portal.CreateUserAsync(newStaff, Roles.Support, twoFactor: false);
        var newStaffPage = await browser.NewPageAsync(locale: language);
        await PartnerSteps.SignInByFormAsync(newStaffPage, newStaff);
        await newStaffPage.WaitForURLAsync(url => url.Contains("/EnableAuthenticator", StringComparison.Ordinal));
        await check.CheckAsync(newStaffPage, "staff must set up an authenticator app");

        // Two-factor sign-in: the code step (also refused), the recovery-code step, and the
        // account's two-factor pages once it is on.
        var twoFactor = $"two-factor-{Guid.NewGuid():N}@example.com";
        var key = await TwoFactorAccountAsync(twoFactor);
        var twoFactorPage = await browser.NewPageAsync(locale: language);
        await PartnerSteps.SubmitSignInAsync(twoFactorPage, twoFactor);
        await twoFactorPage.WaitForURLAsync(url => url.Contains("/LoginWith2fa", StringComparison.Ordinal));
        await check.CheckAsync(twoFactorPage, "two-factor code");
        await twoFactorPage.Locator("input[name='Input.Code']").FillAsync("000000" == Pages.Account.TwoFactorTests.Totp(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        await twoFactorPage.Locator("main form button[type=submit]").ClickAsync();
        await check.CheckAsync(twoFactorPage, "two-factor code refused");
        await check.AtAsync(twoFactorPage, "/Identity/Account/LoginWithRecoveryCode");
        await twoFactorPage.GotoAsync("/Identity/Account/LoginWith2fa");
        await twoFactorPage.Locator("input[name='Input.Code']").FillAsync(Pages.Account.TwoFactorTests.Totp(key, DateTimeOffset.UtcNow));
        await twoFactorPage.Locator("main form button[type=submit]").ClickAsync();
        await twoFactorPage.WaitForURLAsync(url => !url.Contains("/LoginWith", StringComparison.Ordinal));
        foreach (var manage in new[] { "/TwoFactorAuthentication", "/ResetAuthenticator", "/GenerateRecoveryCodes", "/Disable2fa" })
        {
            await check.AtAsync(twoFactorPage, "/Identity/Account/Manage" + manage);
        }

        Assert.True(check.Problems.Count == 0, $"{check.Problems.Count} problems on {check.Checked} page states:\n" + string.Join("\n", check.Problems));
        foreach (var context in new[] { visitor.Context, page.Context, customerPage.Context, supportPage.Context, adminPage.Context, invitedPage.Context, newStaffPage.Context, twoFactorPage.Context })
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A partner with an authenticator app and two-factor sign-in on; returns the app's key.</summary>
    private async Task<string> TwoFactorAccountAsync(string email)
    {
        var user = await browser.Portal.CreateUserAsync(email);
        using var scope = browser.Portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        user = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 3);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }
}
