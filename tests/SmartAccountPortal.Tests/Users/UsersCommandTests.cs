using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Tests.Users;

public sealed class UsersCommandTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<(int Code, string Output)> RunAsync(string passwordLine, params string[] args)
    {
        using var output = new StringWriter();
        var code = await UsersCommand.RunAsync(factory.Services, ["users", .. args], new StringReader(passwordLine + "\n"), output, interactive: false);
        return (code, output.ToString());
    }

    [Fact]
    public async Task Add_PartnerWithPasswordOnStandardInput_CreatesAnAccountThatCanSignIn()
    {
        var email = $"new-{Guid.NewGuid():N}@reseller.example";
        var (code, output) = await RunAsync("a long enough password", "add", "--email", email, "--role", "partner", "--organisation", "Fabrikam Resellers");

        Assert.Equal(0, code);
        Assert.Equal($"Created {email} (Partner, Fabrikam Resellers).", output.Trim());
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True(await users.IsInRoleAsync(user, Roles.Partner));
            Assert.True(user.EmailConfirmed);
        }

        using var client = factory.CreatePortalClient();
        await client.SignInAsync(email, "a long enough password");
        using var response = await client.GetAsync("/Requests/New");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Add_SupportStaff_HaveNoOrganisation()
    {
        var email = $"staff-{Guid.NewGuid():N}@vendor.example";
        var (code, _) = await RunAsync("a long enough password", "add", "--email", email, "--role", "Support");
        Assert.Equal(0, code);
        var (refused, message) = await RunAsync("a long enough password", "add", "--email", "x" + email, "--role", "Support", "--organisation", "Org");
        Assert.Equal(1, refused);
        Assert.Contains("Staff (Support, Administrator) do not belong to an organisation.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_PartnerWithoutOrganisation_IsRefused()
    {
        var (code, output) = await RunAsync("a long enough password", "add", "--email", $"p-{Guid.NewGuid():N}@x.example", "--role", "Partner");
        Assert.Equal(1, code);
        Assert.Contains("A partner needs an organisation", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_PasswordAsAnArgument_IsRefusedWithUsage()
    {
        var (code, output) = await RunAsync("", "add", "--email", "p@x.example", "--role", "Partner", "--password", "secret secret");
        Assert.Equal(2, code);
        Assert.StartsWith("usage: users add", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ShortPassword_ReportsWhyAndCreatesNothing()
    {
        var email = $"short-{Guid.NewGuid():N}@x.example";
        var (code, output) = await RunAsync("short", "add", "--email", email, "--role", "Partner", "--organisation", "Org");
        Assert.Equal(1, code);
        Assert.Contains("at least 12 characters", output, StringComparison.Ordinal);
        using var scope = factory.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task Add_Administrator_HasNoOrganisation_AndSetsUpTwoFactorAtFirstSignIn()
    {
        var email = $"admin-{Guid.NewGuid():N}@vendor.example";
        var (code, output) = await RunAsync("a long enough password", "add", "--email", email, "--role", "administrator");
        Assert.Equal(0, code);
        Assert.Equal($"Created {email} (Administrator).", output.Trim());

        using var client = factory.CreatePortalClient();
        var page = await client.GetPageAsync("/Identity/Account/Login");
        using var signedIn = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "a long enough password" });
        Assert.Equal("/Identity/Account/Manage/EnableAuthenticator", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task List_Unlock_Deactivate_Reactivate_WorkOnTheAccountNamed()
    {
        var email = $"listed-{Guid.NewGuid():N}@reseller.example";
        await factory.CreateUserAsync(email, organisation: "Listed Resellers");
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddDays(1));
        }

        string Line(string output) => output.Split('\n').Single(l => l.StartsWith(email, StringComparison.Ordinal));
        var (listed, list) = await RunAsync("", "list");
        Assert.Equal(0, listed);
        Assert.StartsWith("EMAIL", list, StringComparison.Ordinal);
        Assert.Equal([email, "Partner", "Listed", "Resellers", "locked", "off", "never"], Line(list).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var (unlocked, unlockSaid) = await RunAsync("", "unlock", "--email", email);
        Assert.Equal((0, $"Unlocked {email}."), (unlocked, unlockSaid.Trim()));
        Assert.Contains(" active ", Line((await RunAsync("", "list")).Output), StringComparison.Ordinal);

        var (deactivated, said) = await RunAsync("", "deactivate", "--email", email);
        Assert.Equal(0, deactivated);
        Assert.StartsWith($"Deactivated {email}", said, StringComparison.Ordinal);
        Assert.Contains(" deactivated ", Line((await RunAsync("", "list")).Output), StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("", "reactivate", "--email", email)).Code);
        Assert.Contains(" active ", Line((await RunAsync("", "list")).Output), StringComparison.Ordinal);

        var (unknown, unknownSaid) = await RunAsync("", "deactivate", "--email", "nobody@nowhere.example");
        Assert.Equal(1, unknown);
        Assert.Equal("No account has the address nobody@nowhere.example.", unknownSaid.Trim());
        Assert.Equal(2, (await RunAsync("", "deactivate")).Code);
    }
}

/// <summary>The portal as a developer runs it: Development, with the seed password set.</summary>
public sealed class DevelopmentPortalFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Seed:Password", "Seeded-Password-1"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

public sealed class DevelopmentSeedTests(DevelopmentPortalFactory factory) : IClassFixture<DevelopmentPortalFactory>
{
    [Theory]
    [InlineData("partner@example.com", "/Requests/New")]
    [InlineData("partner2@example.com", "/Requests/New")]
    [InlineData("support@example.com", "/Support")]
    [InlineData("admin@example.com", "/Support")]
    public async Task Development_SeededAccounts_SignInWithTheirPassword_AndOpenTheirPages(string email, string page)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        await client.SignInAsync(email, "Seeded-Password-1");
        using var response = await client.GetAsync(page);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Development_SeededAccounts_HaveTheirRolesAndOrganisations()
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
        var organisations = db.Organisations.ToDictionary(o => o.Id, o => o.Name);

        var partner = (await users.FindByEmailAsync("partner@example.com"))!;
        var partner2 = (await users.FindByEmailAsync("partner2@example.com"))!;
        var support = (await users.FindByEmailAsync("support@example.com"))!;
        Assert.Equal("Northwind Partners", organisations[partner.OrganisationId!.Value]);
        Assert.Equal("Contoso Resellers", organisations[partner2.OrganisationId!.Value]);
        Assert.Null(support.OrganisationId);
        Assert.True(await users.IsInRoleAsync(support, Roles.Support));
        Assert.False(await users.IsInRoleAsync(support, Roles.Partner));
        Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync("admin@example.com"))!, Roles.Administrator));
    }
}

public sealed class NoSeedOutsideDevelopmentTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Testing_WithoutSeed_CreatesNoDemonstrationAccounts()
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.Null(await users.FindByEmailAsync("partner@example.com"));
    }
}
