using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using static SmartAccountPortal.Tests.Infrastructure.Lists;

namespace SmartAccountPortal.Tests.Pages.Support;

/// <summary>
/// The one search of the support console and My Requests, through the database's own index:
/// any part of any field, case and accents folded, counts exact, the term always text.
/// </summary>
public sealed class SearchTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private HttpClient staff = null!;

    public async Task InitializeAsync() => (staff, _) = await factory.NewSupportAsync();

    public Task DisposeAsync()
    {
        staff.Dispose();
        return Task.CompletedTask;
    }

    private Task<IHtmlDocument> SupportSearchAsync(string term) => staff.GetPageAsync("/Support?q=" + Uri.EscapeDataString(term));

    [Fact]
    public async Task Search_FindsAnyPartOfEveryField()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var organisation = $"Reseller {tag} Group";
        var (client, partner) = await factory.NewPartnerAsync(organisation);
        client.Dispose();
        var request = (await factory.SeedRequestsAsync(partner, 1, _ => $"Name{tag}x Holdings"))[0];

        foreach (var part in new[]
                 {
                     request.Reference[3..9], $"me{tag}x hold", request.AccountDomain[2..12], "it@" + request.AccountDomain[..8],
                     partner[..20], $"ller {tag} gro",
                 })
        {
            var page = await SupportSearchAsync(part);
            Assert.True(References(page).Contains(request.Reference), $"\"{part}\" did not find {request.Reference}");
        }
    }

    [Theory]
    [InlineData("Müller Maschinenbau {0}", "MÜLLER MASCHINENBAU {0}")]
    [InlineData("Müller Maschinenbau {0}", "muller maschinenbau {0}")]
    [InlineData("Società Meccanica {0}", "SOCIETÀ MECCANICA {0}")]
    [InlineData("Società Meccanica {0}", "societa meccanica {0}")]
    [InlineData("MULLER Werke {0}", "müller werke {0}")]
    public async Task Search_FoldsCaseAndAccents(string name, string term)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var request = (await factory.SeedRequestsAsync(partner, 1, _ => string.Format(System.Globalization.CultureInfo.InvariantCulture, name, tag)))[0];

        var page = await SupportSearchAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, term, tag));

        Assert.Equal([request.Reference], References(page));
        Assert.Equal(1, Count(page));
    }

    [Theory]
    [InlineData("100% \"Quoted\" Co_op* {0}", "% \"Quoted\" Co_op*")]
    [InlineData("Alpha OR Beta {0}", "Alpha OR Beta")]
    [InlineData("Stand-alone (NEAR) {0}", "-alone (NEAR)")]
    [InlineData("Caret ^ colon: {0}", "^ colon:")]
    [InlineData("Back\\slash [x] {0}", "\\slash [x]")]
    public async Task Search_SpecialCharacters_AreText(string name, string term)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var request = (await factory.SeedRequestsAsync(partner, 1, _ => string.Format(System.Globalization.CultureInfo.InvariantCulture, name, tag)))[0];

        var page = await SupportSearchAsync(term + " " + tag);

        Assert.Equal([request.Reference], References(page));
    }

    [Theory]
    [InlineData("_")]
    [InlineData("%")]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("a\"")]
    [InlineData("NEAR(")]
    [InlineData("\u00e0")]
    public async Task Search_AnyShortOrOddTerm_AnswersAPage(string term)
    {
        using var response = await staff.GetAsync("/Support?q=" + Uri.EscapeDataString(term));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Search_AWildcardCharacter_MatchesOnlyItself()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 2, i => i == 0 ? $"Under_score {tag}" : $"Underxscore {tag}");

        Assert.Equal([requests[0].Reference], References(await SupportSearchAsync("r_s")).Intersect(requests.Select(r => r.Reference)));
        Assert.Equal([requests[0].Reference], References(await SupportSearchAsync($"_score {tag}")));
    }

    [Fact]
    public async Task MyRequests_Search_IsScopedToTheOrganisation_WithAnExactCountAndPages()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync($"Own {tag}");
        var (stranger, strangerEmail) = await factory.NewPartnerAsync($"Other {tag}");
        stranger.Dispose();
        var mine = await factory.SeedRequestsAsync(partner, 27, i => $"Contoso {tag} {i:00}");
        await factory.SeedRequestsAsync(partner, 3, i => $"Fabrikam {tag} {i:00}");
        await factory.SeedRequestsAsync(strangerEmail, 4, i => $"Contoso {tag} {i:00}");
        using (client)
        {
            var page = await client.GetPageAsync($"/Requests?q=CONTOSO+{tag}");
            Assert.Equal(27, Count(page));
            Assert.Equal(mine.AsEnumerable().Reverse().Take(25).Select(r => r.Reference), References(page));
            var second = await client.GetPageAsync(page.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
            Assert.Equal(mine.Take(2).Reverse().Select(r => r.Reference), References(second));
            Assert.Equal($"CONTOSO {tag}", ((IHtmlInputElement)second.QuerySelector("input[name=q]")!).Value);

            // Their own organisation's name is not what they search for; another's never matches.
            var others = await client.GetPageAsync($"/Requests?q=Other+{tag}");
            Assert.Equal(0, Count(others));
            var all = await client.GetPageAsync("/Requests");
            Assert.Equal(30, Count(all));
        }

        var support = await SupportSearchAsync($"contoso {tag}");
        Assert.Equal(31, Count(support));
    }

    [Fact]
    public async Task SupportSearch_PagesNewestFirst_ThroughTheIndex_AndSortsByExpiryOnRequest()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync();
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 27, i => $"Pager {tag} {i:00}");

        var first = await SupportSearchAsync($"pager {tag}");
        Assert.Equal(27, Count(first));
        Assert.Equal(requests.AsEnumerable().Reverse().Take(25).Select(r => r.Reference), References(first));
        var second = await staff.GetPageAsync(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal([requests[1].Reference, requests[0].Reference], References(second));

        var byExpiry = await staff.GetPageAsync($"/Support?q=pager+{tag}&sort=expires");
        Assert.Equal(requests.Take(25).Select(r => r.Reference), References(byExpiry));
        var pending = await staff.GetPageAsync($"/Support?q=pager+{tag}&state=Pending&p=2");
        Assert.Equal([requests[1].Reference, requests[0].Reference], References(pending));
    }

    [Fact]
    public async Task RenamingAnOrganisationOrChangingAPartnersAddress_KeepsTheSearchCurrent()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (client, partner) = await factory.NewPartnerAsync($"Before {tag}");
        client.Dispose();
        var request = (await factory.SeedRequestsAsync(partner, 1))[0];
        await factory.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == partner);
            user.Email = $"renamed-{tag}@example.com";
            var organisation = await db.Organisations.SingleAsync(o => o.Id == user.OrganisationId);
            db.Entry(organisation).Property(o => o.Name).CurrentValue = $"After {tag}";
            return await db.SaveChangesAsync();
        });

        Assert.Equal([request.Reference], References(await SupportSearchAsync($"After {tag}")));
        Assert.Equal([request.Reference], References(await SupportSearchAsync($"renamed-{tag}")));
        Assert.Empty(References(await SupportSearchAsync($"Before {tag}")));
    }

    [Fact]
    public async Task KeptCounts_MatchTheRequests_AsTheyAreAddedAndChangeState()
    {
        var (client, partner) = await factory.NewPartnerAsync($"Counted {Guid.NewGuid():N}");
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 5);
        await factory.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.Where(r => requests.Select(x => x.Id).Contains(r.Id)).OrderBy(r => r.Id).ToListAsync();
            var now = factory.Clock.GetUtcNow().UtcDateTime;
            tracked[0].Activate(now);
            tracked[1].Decline(now, null);
            tracked[2].Expire(tracked[2].ExpiresAt);
            return await db.SaveChangesAsync();
        });

        var (kept, counted) = await factory.WithDbAsync(async db => (
            await db.RequestCounts.Where(c => c.Count != 0).OrderBy(c => c.OrganisationId).ThenBy(c => c.Status).Select(c => new { c.OrganisationId, c.Status, c.Count }).ToListAsync(),
            await db.Requests.GroupBy(r => new { r.OrganisationId, r.Status }).OrderBy(g => g.Key.OrganisationId).ThenBy(g => g.Key.Status)
                .Select(g => new { g.Key.OrganisationId, g.Key.Status, Count = (long)g.Count() }).ToListAsync()));
        Assert.Equal(counted, kept);
        var organisation = requests[0].OrganisationId;
        Assert.Equal(
            [(RequestStatus.Active, 1L), (RequestStatus.Declined, 1L), (RequestStatus.Expired, 1L), (RequestStatus.Pending, 2L)],
            kept.Where(c => c.OrganisationId == organisation).Select(c => (c.Status, c.Count)).OrderBy(c => c.Status.ToString(), StringComparer.Ordinal));
    }
}
