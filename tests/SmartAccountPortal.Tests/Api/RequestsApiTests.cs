using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Api;

/// <summary>The partner API, through real HTTP: keys made on the API keys page, every call as a partner's system makes it.</summary>
public sealed class RequestsApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Requests = "/api/v1/requests";

    private static readonly string[] OneBadAddress = ["x"];

    /// <summary>An organisation administrator, signed in, and an API key they made on the page.</summary>
    private async Task<(HttpClient Browser, string Key, string Organisation)> KeyAsync(string name = "Ordering system")
    {
        var organisation = $"API Partners {Guid.NewGuid():N}";
        var (browser, _) = await factory.NewOrganisationAdministratorAsync(organisation);
        var page = await browser.GetPageAsync("/Organisation/ApiKeys");
        using var created = await browser.SubmitAsync(page.Form("#create-form"), values: new Dictionary<string, string> { ["Name"] = name });
        Assert.True(created.Headers.CacheControl!.NoStore);
        var key = (await Html.ReadAsync(created)).QuerySelector("#new-key")!.TextContent;
        Assert.StartsWith("sap_", key, StringComparison.Ordinal);
        return (browser, key, organisation);
    }

    private HttpClient Api(string? key, string language = "en")
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private static object Body(string domain, string accountName = "Contoso Pharmaceuticals") => new
    {
        accountName,
        customerEmail = $"it.lead@{domain}",
        accountDomain = domain,
        noteToCustomer = "Please accept this week.",
        userEmails = new[] { $"ana@{domain}", $"bo@{domain}" },
        customerLanguage = "it",
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient api, string path, object? body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await api.SendAsync(request);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task TheWholeLifecycle_ThroughTheApiOnly()
    {
        var (_, key, _) = await KeyAsync();
        using var api = Api(key);
        var domain = RequestSteps.NewDomain();
        var idempotency = Guid.NewGuid().ToString();

        using var created = await PostAsync(api, Requests, Body(domain), idempotency);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await JsonAsync(created);
        var reference = request["reference"]!.GetValue<string>();
        Assert.Equal($"{Requests}/{reference}", created.Headers.Location!.OriginalString);
        Assert.Equal("pending", request["state"]!.GetValue<string>());
        Assert.Equal("it", request["customerLanguage"]!.GetValue<string>());
        Assert.Equal("API key Ordering system", request["history"]![0]!["actor"]!.GetValue<string>());
        Assert.Equal("activation", request["emails"]![0]!["kind"]!.GetValue<string>());

        // Retried with the same key: the first result, and still one request.
        using (var retried = await PostAsync(api, Requests, Body(domain), idempotency))
        {
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
            Assert.Equal(reference, (await JsonAsync(retried))["reference"]!.GetValue<string>());
        }

        Assert.Equal(1, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));

        // The same key with a different body is refused.
        using (var reused = await PostAsync(api, Requests, Body(domain, "Another Name"), idempotency))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Equal("application/problem+json", reused.Content.Headers.ContentType!.MediaType);
        }

        // Listed, filtered, and read back.
        var list = await JsonAsync(await api.GetAsync($"{Requests}?state=pending&q={domain}"));
        Assert.Equal(reference, Assert.Single(list["items"]!.AsArray())!["reference"]!.GetValue<string>());
        var one = await JsonAsync(await api.GetAsync($"{Requests}/{reference}"));
        Assert.Equal(2, one["userEmails"]!.AsArray().Count);

        // Resend: too soon at first (the page's rule), then a new link.
        using (var tooSoon = await PostAsync(api, $"{Requests}/{reference}/resend", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, tooSoon.StatusCode);
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        using (var resent = await PostAsync(api, $"{Requests}/{reference}/resend", null))
        {
            Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
            Assert.Contains((await JsonAsync(resent))["history"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "Resent");
        }

        using (var cancelled = await PostAsync(api, $"{Requests}/{reference}/cancel", new { reason = "Ordered by mistake." }))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
            Assert.Equal("cancelled", (await JsonAsync(cancelled))["state"]!.GetValue<string>());
        }

        using var again = await PostAsync(api, $"{Requests}/{reference}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task CursorPaging_WalksEveryRequestOnce()
    {
        var (_, key, _) = await KeyAsync();
        using var api = Api(key);
        var made = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var created = await PostAsync(api, Requests, Body(RequestSteps.NewDomain()));
            made.Add((await JsonAsync(created))["reference"]!.GetValue<string>());
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await api.GetAsync($"{Requests}?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["reference"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(made.AsEnumerable().Reverse(), seen);
        using var bad = await api.GetAsync($"{Requests}?cursor=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task AnotherOrganisationsKey_Gets404_LikeAMissingRequest()
    {
        var (_, key, _) = await KeyAsync();
        var (_, otherKey, _) = await KeyAsync();
        using var api = Api(key);
        using var created = await PostAsync(api, Requests, Body(RequestSteps.NewDomain()));
        var reference = (await JsonAsync(created))["reference"]!.GetValue<string>();

        using var other = Api(otherKey);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"{Requests}/{reference}"), (HttpMethod.Post, $"{Requests}/{reference}/resend"), (HttpMethod.Post, $"{Requests}/{reference}/cancel"),
            (HttpMethod.Get, $"{Requests}/SA-00000000"),
        })
        {
            using var response = await other.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("No such request", (await JsonAsync(response))["title"]!.GetValue<string>());
        }

        Assert.Empty((await JsonAsync(await other.GetAsync(Requests)))["items"]!.AsArray());
        Assert.Equal("pending", (await JsonAsync(await api.GetAsync($"{Requests}/{reference}")))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ValidationProblems_PerField_InTheCallersLanguage_AndTheDomainRule()
    {
        var (_, key, _) = await KeyAsync();
        using var italian = Api(key, "it");
        using var invalid = await PostAsync(italian, Requests, new { accountName = "", customerEmail = "not an address", accountDomain = "example", userEmails = OneBadAddress });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var problem = await JsonAsync(invalid);
        Assert.Equal("La richiesta contiene errori", problem["title"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "accountName", "accountDomain", "customerEmail", "userEmails" })
        {
            Assert.True(errors.ContainsKey(field), $"No error for {field}.");
        }

        Assert.Contains("Inserisci il nome", errors["accountName"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // One open request per domain, as in the form.
        using var english = Api(key);
        var domain = RequestSteps.NewDomain();
        using (var first = await PostAsync(english, Requests, Body(domain)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await PostAsync(english, Requests, Body(domain));
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains(domain, (await JsonAsync(second))["errors"]!["accountDomain"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingWrongOrRevokedKeys_Answer401_AndNoKeyReachesTheLog()
    {
        var (browser, key, _) = await KeyAsync("Revoked soon");
        foreach (var presented in new[] { null, "sap_" + new string('A', 43), "not even a key", key[..^1] })
        {
            using var api = Api(presented);
            using var refused = await api.GetAsync(Requests);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("An API key is needed", (await JsonAsync(refused))["title"]!.GetValue<string>());
        }

        using (var live = Api(key))
        using (var ok = await live.GetAsync(Requests))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The list shows the key's beginning and its last use; Revoke ends it.
        var page = await browser.GetPageAsync("/Organisation/ApiKeys");
        Assert.Contains(key[..10], page.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(key, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var revoke = page.QuerySelector<AngleSharp.Html.Dom.IHtmlButtonElement>("button[aria-label='Revoke: Revoked soon']")!;
        using (await browser.SubmitAsync(revoke.Form!, revoke))
        {
        }

        using (var revokedApi = Api(key))
        using (var revoked = await revokedApi.GetAsync(Requests))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(key[4..], StringComparison.Ordinal));
        Assert.Equal(1, await factory.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.Name == "Revoked soon" && k.RevokedAt != null && k.LastUsedAt != null)));
        Assert.False(await factory.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.TokenHash == key || k.Prefix == key)));
    }

    [Fact]
    public async Task AnotherOrganisationsKey_CannotBeRevoked_AndPartnersWhoDoNotAdministerReachNoKeys()
    {
        var (browser, _, _) = await KeyAsync();
        var (_, _, otherOrganisation) = await KeyAsync("Theirs");
        var theirs = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "Theirs").OrderByDescending(k => k.Id).Select(k => k.Id).FirstAsync());
        var page = await browser.GetPageAsync("/Organisation/ApiKeys");
        var form = page.Form("#create-form");
        form.Action = $"/Organisation/ApiKeys?handler=Revoke&id={theirs}";
        using (var refused = await browser.SubmitAsync(form))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        Assert.Null(await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == theirs).Select(k => k.RevokedAt).SingleAsync()));
        var (partner, _) = await factory.NewPartnerAsync(otherOrganisation);
        using var denied = await partner.GetAsync("/Organisation/ApiKeys");
        Assert.StartsWith("/Identity/Account/AccessDenied", denied.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocument_ListsEveryEndpointAndSchema()
    {
        using var api = Api(null);
        using var response = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        // Valid: read back by an OpenAPI reader, which checks it against the specification's rules.
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(json, "json");
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(5, read.Document.Paths.Values.Sum(p => p.Operations!.Count));
        var paths = root.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/requests").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/requests").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/requests/{reference}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/requests/{reference}/resend").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/requests/{reference}/cancel").TryGetProperty("post", out _));
        var schemas = root.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "NewRequestBody", "RequestDocument", "RequestPage", "RequestSummary", "CancelBody" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"No schema {schema}.");
        }

        Assert.Equal("contoso.example", schemas.GetProperty("NewRequestBody").GetProperty("examples")[0].GetProperty("accountDomain").GetString());

        // Every webhook event, with its signature headers and a payload whose request is the API's summary.
        var webhooks = root.GetProperty("webhooks");
        Assert.Equal(
            SmartAccountPortal.Webhooks.WebhookEvents.All.Select(SmartAccountPortal.Webhooks.WebhookEvents.TypeOf).Order(),
            webhooks.EnumerateObject().Select(w => w.Name).Order());
        var activated = webhooks.GetProperty("request.activated").GetProperty("post");
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], activated.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var payload = activated.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("request.activated", payload.GetProperty("properties").GetProperty("type").GetProperty("enum")[0].GetString());
        Assert.Equal("#/components/schemas/RequestSummary", payload.GetProperty("properties").GetProperty("data").GetProperty("properties").GetProperty("request").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task TheReferencePage_IsLinkedFromTheKeysPage_AndDescribesEveryCall()
    {
        var (browser, _, _) = await KeyAsync();
        var keys = await browser.GetPageAsync("/Organisation/ApiKeys");
        Assert.NotNull(keys.QuerySelector("main a[href='/ApiReference']"));

        using var visitor = factory.CreatePortalClient();
        var reference = await visitor.GetPageAsync("/ApiReference");
        var operations = reference.QuerySelectorAll("main h3 code").Select(c => c.TextContent).ToList();
        Assert.Equal(
            ["POST /api/v1/requests", "GET /api/v1/requests", "GET /api/v1/requests/{reference}", "POST /api/v1/requests/{reference}/resend", "POST /api/v1/requests/{reference}/cancel"],
            operations);
        // One example per call, and one webhook delivery.
        Assert.Equal(6, reference.QuerySelectorAll("main pre.example").Length);
    }

    [Fact]
    public async Task KeysOfSomeoneWhoMovesToAnotherOrganisation_StopWorking()
    {
        var (_, key, _) = await KeyAsync("Leaves with its maker");
        var maker = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Name == "Leaves with its maker").OrderByDescending(k => k.Id).Select(k => k.CreatedByEmail).FirstAsync());
        var administrator = await factory.CreateUserAsync($"admin-{Guid.NewGuid():N}@vendor.example", SmartAccountPortal.Domain.Roles.Administrator);
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Users.UserAccounts>();
            var person = (await accounts.FindAsync(maker))!;
            var by = (await accounts.FindAsync(administrator.Email!))!;
            Assert.True((await accounts.ChangeRoleAsync(person, SmartAccountPortal.Domain.Roles.Partner, $"Elsewhere {Guid.NewGuid():N}", false, by, CancellationToken.None)).Succeeded);
        }

        using var api = Api(key);
        using var refused = await api.GetAsync(Requests);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == SmartAccountPortal.Domain.AuditAction.ApiKeyRevoked && e.Subject == "Leaves with its maker")));
    }
}
