using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Security;

/// <summary>Two sign-in attempts, three activation views and three API calls a minute; proxies at 10.0.0.1 and in 10.1.0.0/16 are trusted.</summary>
public sealed class TightLimitsFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("RateLimits:SignInPerMinute", "2"),
        new("RateLimits:ActivationPerMinute", "3"),
        new("RateLimits:ApiPerMinute", "3"),
        new("ForwardedHeaders:KnownProxies:0", "10.0.0.1"),
        new("ForwardedHeaders:KnownNetworks:0", "10.1.0.0/16"),
    ];
}

public sealed class RateLimitTests(TightLimitsFactory factory) : IClassFixture<TightLimitsFactory>
{
    private static int addressCounter;

    /// <summary>A client address no other test uses, so each test has its own windows.</summary>
    private static string NewAddress() => $"198.51.100.{Interlocked.Increment(ref addressCounter)}";

    private static async Task<HttpResponseMessage> SignInAttemptAsync(HttpClient client, string peer, string? forwardedFor = null)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login");
        var form = page.Form();
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = $"nobody-{Guid.NewGuid():N}@example.com",
                ["Input.Password"] = "not the password at all",
            }),
        };
        request.Headers.Add(TestPeerAddress.Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task RetryAfter_TellsTheTimeLeftInTheWindow()
    {
        using var client = factory.CreatePortalClient();
        var peer = NewAddress();
        (await SignInAttemptAsync(client, peer)).Dispose();
        (await SignInAttemptAsync(client, peer)).Dispose();

        using var refused = await SignInAttemptAsync(client, peer);
        factory.Clock.Advance(TimeSpan.FromSeconds(25));
        using var later = await SignInAttemptAsync(client, peer);
        factory.Clock.Advance(TimeSpan.FromSeconds(35));
        using var nextWindow = await SignInAttemptAsync(client, peer);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, later.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(35), later.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.Equal("Too many attempts", (await Html.ReadAsync(later)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnored_SoTheLimitHolds()
    {
        using var client = factory.CreatePortalClient();
        var peer = NewAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // Each attempt claims to come from somewhere else.
            using var response = await SignInAttemptAsync(client, peer, forwardedFor: $"203.0.113.{i + 1}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.1.200.7")]
    public async Task ForwardedFor_FromATrustedProxy_CountsEachClientOnItsOwn(string proxy)
    {
        using var client = factory.CreatePortalClient();
        var first = NewAddress();
        var second = NewAddress();
        (await SignInAttemptAsync(client, proxy, first)).Dispose();
        (await SignInAttemptAsync(client, proxy, first)).Dispose();

        using var firstAgain = await SignInAttemptAsync(client, proxy, first);
        using var secondClient = await SignInAttemptAsync(client, proxy, second);

        Assert.Equal(HttpStatusCode.TooManyRequests, firstAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondClient.StatusCode);
    }

    [Fact]
    public async Task ActivationLink_EveryResponse_KeepsTheAddressOutOfReferersAndCaches()
    {
        using var client = factory.CreatePortalClient();
        var peer = NewAddress();
        var link = "/Activation/" + new string('B', 43);
        var responses = new List<HttpResponseMessage>();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Get, HttpMethod.Get })
        {
            var request = new HttpRequestMessage(method, link);
            request.Headers.Add(TestPeerAddress.Header, peer);
            if (method != HttpMethod.Get)
            {
                request.Content = new StringContent("broken", System.Text.Encoding.UTF8, "multipart/form-data");
            }

            responses.Add(await client.SendAsync(request));
        }

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            responses.Select(r => r.StatusCode));
        foreach (var response in responses)
        {
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            response.Dispose();
        }
    }

    [Fact]
    public async Task ApiCalls_PerKey_AnswerAProblemWith429AndRetryAfter_PastTheLimit()
    {
        var partner = await factory.CreateUserAsync($"api-{Guid.NewGuid():N}@example.com");
        string key;
        string otherKey;
        using (var scope = factory.Services.CreateScope())
        {
            var keys = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Api.ApiKeys>();
            key = (await keys.CreateAsync(partner.OrganisationId!.Value, "Busy", partner, CancellationToken.None)).Secret;
            otherKey = (await keys.CreateAsync(partner.OrganisationId!.Value, "Quiet", partner, CancellationToken.None)).Secret;
        }

        using var api = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        HttpRequestMessage Call(string presented)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/requests");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", presented);
            return request;
        }

        for (var i = 0; i < 3; i++)
        {
            using var ok = await api.SendAsync(Call(key));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await api.SendAsync(Call(key));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);

        // Another key of the same organisation has its own window.
        using var other = await api.SendAsync(Call(otherKey));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
