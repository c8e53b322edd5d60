using System.Net;
using AngleSharp.Html.Dom;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Localization;

/// <summary>The portal's default clock is Rome's.</summary>
public sealed class RomeTimeFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Portal:DefaultTimeZone", "Europe/Rome")];
}

/// <summary>Dates in the reader's language and time zone: a request submitted late in the evening UTC is already the next day in Rome.</summary>
public sealed class DatesAndTimeZonesTests(RomeTimeFactory factory) : IClassFixture<RomeTimeFactory>
{
    private async Task<(HttpClient Client, string Reference)> LateRequestAsync()
    {
        var (client, email) = await factory.NewPartnerAsync();
        factory.Clock.Set(new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero));
        var seeded = await factory.SeedRequestsAsync(email, 1);
        return (client, seeded[0].Reference);
    }

    private static async Task<string> SubmittedCellAsync(HttpClient client, string reference, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Requests");
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        var page = await Html.ReadAsync(response);
        var row = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(reference, StringComparison.Ordinal));
        return row.QuerySelectorAll("td")[5].TextContent.Trim();
    }

    [Fact]
    public async Task Dates_FollowTheDefaultZoneAndTheLanguage()
    {
        var (client, reference) = await LateRequestAsync();
        using (client)
        {
            Assert.Equal("2 March 2026", await SubmittedCellAsync(client, reference));
            Assert.Equal("2 marzo 2026", await SubmittedCellAsync(client, reference, "it"));
            Assert.Equal("2 maart 2026", await SubmittedCellAsync(client, reference, "nl"));

            var details = await client.GetPageAsync($"/Requests/{reference}");
            var submitted = details.QuerySelectorAll("dl.details dt").Single(dt => dt.TextContent == "Submitted").NextElementSibling!;
            Assert.Equal("2 Mar 2026, 00:30 (UTC+01:00)", submitted.TextContent.Trim());
            Assert.Equal("2026-03-01T23:30:00Z", submitted.QuerySelector("time")!.GetAttribute("datetime"));
        }
    }

    [Fact]
    public async Task APersonsOwnZone_FromTheProfile_WinsOverTheDefault()
    {
        var (client, reference) = await LateRequestAsync();
        using (client)
        {
            var profile = await client.GetPageAsync("/Identity/Account/Manage");
            using (var saved = await client.SubmitAsync(profile.Form("main form"), values: new Dictionary<string, string> { ["Input.TimeZone"] = "America/New_York" }))
            {
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            }

            Assert.Equal("1 March 2026", await SubmittedCellAsync(client, reference));
            var details = await client.GetPageAsync($"/Requests/{reference}");
            var submitted = details.QuerySelectorAll("dl.details dt").Single(dt => dt.TextContent == "Submitted").NextElementSibling!;
            Assert.Equal("1 Mar 2026, 18:30 (UTC-05:00)", submitted.TextContent.Trim());

            var again = await client.GetPageAsync("/Identity/Account/Manage");
            Assert.Equal("America/New_York", ((IHtmlSelectElement)again.QuerySelector("select[name='Input.TimeZone']")!).Value);
            using var refused = await client.SubmitAsync(again.Form("main form"), values: new Dictionary<string, string> { ["Input.TimeZone"] = "Mars/Olympus_Mons" });
            Assert.Equal("Choose a time zone from the list.", (await Html.ReadAsync(refused)).QuerySelector("#Input_TimeZone-error")!.TextContent.Trim());
        }
    }
}
