using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Api;

/// <summary>Hostile calls to every API endpoint: never a 5xx, never an unhandled exception, and every refusal a problem document.</summary>
public sealed class HostileApiTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const int Seed = 20261122;

    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e308", "\"\"", "\"x\"", "[]", "{}", "[1,2]", "\"" + new string('a', 70_000) + "\"",
        "\"<script>alert(1)</script>\"", "\"\\u0000\"", "\"a@b\"", "\"SA-00000000\"", "\"it\"", "\"xx-XX\"", "\"ex\u00e4mple.com\"",
        "[\"a@b.example\", null, 3]", "{\"$ref\":\"#\"}",
    ];

    private static readonly string[] Fields = ["accountName", "customerEmail", "accountDomain", "noteToCustomer", "userEmails", "noteToAddedUsers", "customerLanguage", "reason", "unknown"];

    [Fact]
    public async Task ThousandsOfHostileCalls_NeverAnswer5xx_AndRefuseWithProblems()
    {
        var partner = await factory.CreateUserAsync($"hostile-{Guid.NewGuid():N}@example.com", organisation: $"Hostile API {Guid.NewGuid():N}");
        string key;
        using (var scope = factory.Services.CreateScope())
        {
            key = (await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Api.ApiKeys>()
                .CreateAsync(partner.OrganisationId!.Value, "Hostile", partner, CancellationToken.None)).Secret;
        }

        using var api = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var random = new Random(Seed);
        string[] paths =
        [
            "/api/v1/requests", "/api/v1/requests?state=pending&limit=0", "/api/v1/requests?state=1&cursor=-5", "/api/v1/requests?updated_since=yesterday",
            "/api/v1/requests?limit=99999999999", "/api/v1/requests/SA-00000000", "/api/v1/requests/%E2%80%AE", "/api/v1/requests/SA-00000000/resend",
            "/api/v1/requests/SA-00000000/cancel", "/api/v1/requests/x/y/z", "/api/v2/requests",
        ];
        var failures = new List<string>();
        var linesBefore = factory.Logs.Lines.Count;
        for (var i = 0; i < 600; i++)
        {
            var path = paths[random.Next(paths.Length)];
            var method = random.Next(3) == 0 ? HttpMethod.Get : HttpMethod.Post;
            using var request = new HttpRequestMessage(method, path);
            var body = random.Next(5) switch
            {
                0 => "{" + string.Join(",", Fields.Where(_ => random.Next(2) == 0).Select(f => $"\"{f}\":{Values[random.Next(Values.Length)]}")) + "}",
                1 => Values[random.Next(Values.Length)],
                2 => "{\"accountName\":",
                3 => "",
                _ => "{\"accountName\":\"A\",\"customerEmail\":\"it@ex.example\",\"accountDomain\":\"ex.example\",\"userEmails\":" + Values[random.Next(Values.Length)] + "}",
            };
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(body, Encoding.UTF8, random.Next(6) == 0 ? "text/plain" : "application/json");
            }

            if (random.Next(8) != 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", random.Next(10) == 0 ? key + "x" : key);
            }

            if (random.Next(4) == 0)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(3) == 0 ? new string('k', 300) : "retry-" + random.Next(3));
            }

            using var response = await api.SendAsync(request);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500 || (status >= 400 && status != 405 && type != "application/problem+json"))
            {
                failures.Add($"#{i} {status} {type} {method} {path}: {(body.Length > 200 ? body[..200] : body)}");
            }
        }

        var errors = factory.Logs.Lines.Skip(linesBefore).Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(failures.Count == 0 && errors.Count == 0, string.Join("\n", failures.Take(30)) + "\n" + string.Join("\n", errors.Take(10)));
    }
}
