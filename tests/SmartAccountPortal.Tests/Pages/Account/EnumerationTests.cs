using System.Diagnostics;
using System.Net;
using SmartAccountPortal.Areas.Identity.Pages.Account;
using SmartAccountPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartAccountPortal.Tests.Pages.Account;

/// <summary>Tests that measure time run on their own, with no other test class competing for the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Timing";
}

/// <summary>Nothing sign-in answers (its content, its lockout, its time) tells whether an address has an account.</summary>
[Collection(RunsAlone.Name)]
public sealed class EnumerationTests(PortalFactory factory, ITestOutputHelper output) : IClassFixture<PortalFactory>
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    private static async Task<(HttpResponseMessage Response, TimeSpan Took)> TrySignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login");
        var form = page.Form();
        var started = Stopwatch.GetTimestamp();
        var response = await client.SubmitAsync(form, values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return (response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>What a person sees after each of six wrong passwords: the status, where it leads, the message.</summary>
    private static async Task<List<string>> SixWrongPasswordsAsync(HttpClient client, string email)
    {
        var seen = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (response, _) = await TrySignInAsync(client, email, "wrong password number " + i);
            using (response)
            {
                var message = response.StatusCode == HttpStatusCode.OK
                    ? (await Html.ReadAsync(response)).QuerySelector(".error-summary")?.TextContent.Trim()
                    : null;
                seen.Add($"{(int)response.StatusCode} {response.Headers.Location?.OriginalString} {message}");
            }
        }

        return seen;
    }

    [Fact]
    public async Task WrongPasswords_ForAnAccountAndForAnUnknownAddress_GetTheSameAnswersAndTheSameLockout()
    {
        var existing = NewEmail();
        await factory.CreateUserAsync(existing);
        using var client = factory.CreatePortalClient();

        var forAccount = await SixWrongPasswordsAsync(client, existing);
        var forNobody = await SixWrongPasswordsAsync(client, NewEmail());

        Assert.Equal(forAccount, forNobody);
        Assert.Equal($"200  {English.Text(LoginModel.FailedKey)}", forAccount[0]);
        Assert.Equal("302 /Identity/Account/Lockout ", forAccount[4]);
        Assert.Equal("302 /Identity/Account/Lockout ", forAccount[5]);
    }

    [Fact]
    public async Task UnknownAddress_LockoutEndsAfterTheSameTimeAsAnAccounts()
    {
        var unknown = NewEmail();
        using var client = factory.CreatePortalClient();
        await SixWrongPasswordsAsync(client, unknown);

        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        var (stillLocked, _) = await TrySignInAsync(client, unknown, "yet another wrong one");
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var (open, _) = await TrySignInAsync(client, unknown, "yet another wrong one");

        Assert.Equal("/Identity/Account/Lockout", stillLocked.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        stillLocked.Dispose();
        open.Dispose();
    }

    [Fact]
    public async Task UnknownAddresses_AreStoredOnlyAsHashes()
    {
        var unknown = NewEmail();
        using var client = factory.CreatePortalClient();
        (await TrySignInAsync(client, unknown, "a wrong password")).Response.Dispose();

        var stored = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.SignInFailures));
        Assert.NotEmpty(stored);
        Assert.All(stored, f => Assert.Matches("^[0-9A-F]{64}$", f.AddressHash));
        Assert.DoesNotContain(stored, f => f.AddressHash.Contains(unknown, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task UnknownAddresses_AreForgottenAfterADay()
    {
        using var client = factory.CreatePortalClient();
        (await TrySignInAsync(client, NewEmail(), "a wrong password")).Response.Dispose();
        var before = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.SignInFailures));

        factory.Clock.Advance(TimeSpan.FromDays(2));
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(factory.Services))
        {
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SmartAccountPortal.Users.UnknownSignIns>(scope.ServiceProvider).PurgeAsync(CancellationToken.None);
        }

        Assert.True(before >= 1);
        Assert.Equal(0, await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.SignInFailures)));
    }

    [Fact]
    public async Task WrongPassword_TakesAboutAsLongForAnAccountAsForAnUnknownAddress()
    {
        const int people = 8;
        const int rounds = 3;
        var accounts = new List<string>();
        for (var i = 0; i < people; i++)
        {
            accounts.Add(NewEmail());
            await factory.CreateUserAsync(accounts[^1]);
        }

        var nobodies = Enumerable.Range(0, people).Select(_ => NewEmail()).ToList();
        using var client = factory.CreatePortalClient();

        // One warm-up each, so neither side pays for first-time work (compiled queries, the hash of nothing).
        (await TrySignInAsync(client, NewEmail(), "warm up")).Response.Dispose();
        var known = new List<double>();
        var unknown = new List<double>();
        var gaps = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < people; i++)
            {
                // Which goes first alternates, so neither side always follows the other.
                var accountFirst = (round + i) % 2 == 0;
                var (a, tookA) = accountFirst ? await TrySignInAsync(client, accounts[i], "wrong password " + round) : default;
                var (b, tookB) = await TrySignInAsync(client, nobodies[i], "wrong password " + round);
                if (!accountFirst)
                {
                    (a, tookA) = await TrySignInAsync(client, accounts[i], "wrong password " + round);
                }

                Assert.Equal(a.StatusCode, b.StatusCode);
                a.Dispose();
                b.Dispose();
                known.Add(tookA.TotalMilliseconds);
                unknown.Add(tookB.TotalMilliseconds);
                gaps.Add(tookB.TotalMilliseconds - tookA.TotalMilliseconds);
            }
        }

        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        var gap = Median(gaps);
        output.WriteLine($"median sign-in with a wrong password: account {knownMedian:0.0} ms, unknown address {unknownMedian:0.0} ms, median gap within a pair {gap:0.0} ms");

        // A hash check costs tens of milliseconds here; without one for unknown addresses, the gap is
        // about that much. The gap is taken within each back-to-back pair, so a slow moment on this
        // shared machine slows both sides of a pair instead of one side's median.
        Assert.True(Math.Abs(gap) <= Math.Max(8, knownMedian * 0.15),
            $"account {knownMedian:0.0} ms, unknown address {unknownMedian:0.0} ms, median gap within a pair {gap:0.0} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
