using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using SmartAccountPortal.Domain;
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

    [Theory]
    [InlineData(null, "Europe/Rome", "2026-03-02 00:30:00", "2026-03-02T00:30:00+01:00", "2026-05-31 01:30:00", "2026-05-31T01:30:00+02:00")]
    [InlineData("America/New_York", "America/New_York", "2026-03-01 18:30:00", "2026-03-01T18:30:00-05:00", "2026-05-30 19:30:00", "2026-05-30T19:30:00-04:00")]
    public async Task CsvExport_WritesEachTimeForSpreadsheetsAndAsIsoWithOffset_OnTheReadersClock(
        string? ownZone, string zoneInHeading, string submitted, string submittedIso, string expires, string expiresIso)
    {
        var (partner, reference) = await LateRequestAsync();
        partner.Dispose();
        var supportEmail = $"support-{Guid.NewGuid():N}@vendor.example";
        var support = await factory.CreateUserAsync(supportEmail, Roles.Support);
        support.TimeZone = ownZone;
        await factory.WithDbAsync(async db =>
        {
            db.Users.Attach(support).Property(u => u.TimeZone).IsModified = true;
            return await db.SaveChangesAsync();
        });
        using var staff = factory.CreatePortalClient();
        await staff.SignInAsync(supportEmail);

        using var response = await staff.GetAsync("/Support?handler=Export&q=" + reference);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headings = lines[0].Split(',');
        var cells = lines[1].Split(',');
        string Cell(string heading) => cells[Array.IndexOf(headings, heading)];

        Assert.Equal(submitted, Cell($"Submitted ({zoneInHeading})"));
        Assert.Equal(submittedIso, Cell("Submitted (ISO 8601)"));
        Assert.Equal(expires, Cell($"Expires ({zoneInHeading})"));
        Assert.Equal(expiresIso, Cell("Expires (ISO 8601)"));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero), DateTimeOffset.Parse(submittedIso, CultureInfo.InvariantCulture));

        // The spreadsheet form is the one Excel, Calc and Sheets read as a date and time in any locale.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", Cell($"Submitted ({zoneInHeading})"));
    }
}
