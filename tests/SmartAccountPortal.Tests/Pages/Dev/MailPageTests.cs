using System.Net;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Tests.Users;

namespace SmartAccountPortal.Tests.Pages.Dev;

/// <summary>The Development mail page: what `dotnet run` writes to App_Data/mail, readable and clickable.</summary>
public sealed class MailPageTests(DevelopmentPortalFactory factory) : IClassFixture<DevelopmentPortalFactory>
{
    [Fact]
    public async Task Development_ListsTheSentMail_AndShowsEachWithItsLinkClickable()
    {
        var (client, _) = await factory.NewPartnerAsync();
        var domain = RequestSteps.NewDomain();
        await factory.SubmitAsync(client, domain);
        await factory.SendMailAsync();

        using var anonymous = factory.CreatePortalClient();
        var list = await anonymous.GetPageAsync("/Dev/Mail");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains($"it.lead@{domain}", StringComparison.Ordinal));
        var open = row.QuerySelector("a")!;
        Assert.Equal($"Activate your company's Smart Account for {domain}", open.TextContent);

        var message = await anonymous.GetPageAsync(open.GetAttribute("href")!);
        Assert.Equal($"Activate your company's Smart Account for {domain}", message.QuerySelector("#mail-subject")!.TextContent);
        var link = message.QuerySelectorAll(".mail-body a").Single();
        Assert.Matches("^https://portal\\.test/Activation/[A-Za-z0-9_-]{43}$", link.GetAttribute("href"));
        Assert.Contains("Please accept this week.", message.QuerySelector(".mail-body")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_AFileNotInTheListing_IsNotFound()
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.GetAsync("/Dev/Mail?file=../../appsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class MailPageOutsideDevelopmentTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task OutsideDevelopment_TheMailPageDoesNotExist()
    {
        using var client = factory.CreatePortalClient();
        using var response = await client.GetAsync("/Dev/Mail");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
