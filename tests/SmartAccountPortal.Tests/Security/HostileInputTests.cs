using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartAccountPortal.Tests.Security;

/// <summary>A portal whose rate limits never get in the way of a few thousand posts.</summary>
public sealed class UnlimitedPortalFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("RateLimits:SignInPerMinute", "10000"),
        new("RateLimits:ActivationPerMinute", "10000"),
    ];
}

/// <summary>
/// Thousands of generated hostile posts to every form and handler the portal has, as anonymous
/// visitor, partner and support agent: broken bodies, odd charsets, too many or too long
/// fields, non-characters, encoded words, wrong methods and unknown handlers. Not one may end in
/// a 5xx or an unhandled exception. The generator is seeded, so a failure is repeatable: the
/// message names the seed and the post.
/// </summary>
public sealed class HostileInputTests(UnlimitedPortalFactory factory, ITestOutputHelper output) : IClassFixture<UnlimitedPortalFactory>
{
    private const int Seed = 20261122;
    private const int Posts = 4000;

    private static readonly string[] HostileValues =
    [
        "", " ", "x", "true", "false", "on", "TRUE", "-1", "99999999999999999999999", "1e309", "NaN",
        "\0", "a\0b", "\uFFFE", "\uFFFF", "name\uFFFE@example.com", "\uFDD0@example.com", "\u202Eevil.com",
        "=?utf-8?Q?x=0D=0ABcc:_evil@example.com?=", "=?utf-8?B?U3ViamVjdDogZmFrZQ==?=@example.com",
        "a\r\nBcc: evil@example.com", "it@example.com\r\nBcc: evil@example.com", "it%40example.com", "it%0d%0a@example.com",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "'; DROP TABLE AccountRequests; --",
        "../../../../etc/passwd", "%00", "%", "%%", "%zz", "😀", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Ｆｕｌｌｗｉｄｔｈ", "Müller@società.it",
        "xn--socit-meccanica-fnb.it", "società-meccanica.it", "https://www.example.com/", "john..doe@example.com", "@", "@@", "a@b",
        "it@example.com", "it@example.com, ops@example.com; x", "SA-ABCDEFGH", "SA-", "/", "//evil.example", "/\\evil.example",
        "https://evil.example/", "javascript:alert(1)", "~/", "~//evil.example", "/Requests?x=\u0001", "/é", "\t\n\r",
        new string('a', 1001), new string('a', 5000), new string('€', 40_000), string.Concat(Enumerable.Repeat("a@b.co,", 300)),
    ];

    /// <summary>Values written straight into the body: bytes no encoder would produce.</summary>
    private static readonly string[] RawEncodedValues =
    [
        "%ED%A0%80", "%C0%80", "%FF%FE", "%EF%BF%BE", "%00", "%F4%90%80%80", "%E2%80", "%0D%0A", "%", "%G1", "a%2", "+%2B+",
    ];

    private sealed record Target(string Audience, string Action, IReadOnlyList<string> Fields, string? Token);

    [Fact]
    public async Task EveryFormAndHandler_ThousandsOfHostilePosts_NeverAnswer5xxOrLogAnUnhandledException()
    {
        var clients = await ClientsAsync();
        var targets = new List<Target>();
        foreach (var (audience, client, pages) in clients)
        {
            foreach (var path in pages)
            {
                targets.AddRange(await TargetsOnAsync(audience, client, path));
            }
        }

        Assert.True(targets.Count >= 40, $"Only {targets.Count} targets were found.");
        var random = new Random(Seed);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var linesBefore = factory.Logs.Lines.Count;
        for (var i = 0; i < Posts; i++)
        {
            var target = targets[random.Next(targets.Count)];
            var client = clients.Single(c => c.Audience == target.Audience).Client;
            using var request = Generate(random, target, out var description);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (Environment.GetEnvironmentVariable("FUZZ_TRACE") is { } trace && description.Contains(trace, StringComparison.Ordinal))
            {
                output.WriteLine($"#{i} {status} {target.Audience} {request.Method} {request.RequestUri}: {description}");
            }

            if (status >= 500)
            {
                failures.Add($"#{i} {status} {target.Audience} {request.Method} {request.RequestUri}: {description}");
            }
        }

        output.WriteLine($"{Posts} posts to {targets.Count} targets: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        var errors = factory.Logs.Lines.Skip(linesBefore)
            .Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal))
            .Select(l => l.Length > 600 ? l[..600] : l)
            .Distinct()
            .ToList();
        Assert.True(failures.Count == 0 && errors.Count == 0,
            $"Seed {Seed}: {failures.Count} answers were 5xx:\n" + string.Join("\n", failures.Take(40))
            + $"\n{errors.Count} errors were logged:\n" + string.Join("\n", errors.Take(20)));
    }

    private async Task<List<(string Audience, HttpClient Client, string[] Pages)>> ClientsAsync()
    {
        var (partner, _) = await factory.NewPartnerAsync();
        var open = await factory.SubmitAsync(partner, RequestSteps.NewDomain());
        var closed = await factory.SubmitAsync(partner, RequestSteps.NewDomain());
        using (var cancel = await partner.GetAsync($"/Requests/{closed.Reference}/Cancel"))
        {
            var form = (await Html.ReadAsync(cancel)).Form();
            using var _ = await partner.SubmitAsync(form);
        }

        await factory.SendMailAsync();
        var customerMail = factory.MailTo(open.CustomerEmail).First(m => m.Subject.StartsWith("Activate", StringComparison.Ordinal));
        var activation = new Uri(MailText.Link(customerMail.Text, "https://portal.test/Activation/")).AbsolutePath;

        var supportEmail = $"support-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(supportEmail, Roles.Support);
        var support = factory.CreatePortalClient();
        await support.SignInAsync(supportEmail);

        string[] account =
        [
            "/Identity/Account/Manage", "/Identity/Account/Manage/ChangePassword", "/Identity/Account/Manage/TwoFactorAuthentication",
            "/Identity/Account/Manage/EnableAuthenticator", "/Identity/Account/Manage/ResetAuthenticator", "/Identity/Account/Manage/Disable2fa",
            "/Identity/Account/Manage/GenerateRecoveryCodes", "/Identity/Account/Manage/PersonalData", "/Identity/Account/Manage/SetPassword",
        ];
        string[] anonymousPages =
        [
            "/", "/Identity/Account/Login", "/Identity/Account/Login?returnUrl=%2FRequests", "/Identity/Account/ForgotPassword",
            "/Identity/Account/ForgotPasswordConfirmation", "/Identity/Account/ResetPassword?code=bm90LWEtY29kZQ",
            "/Identity/Account/ResetPasswordConfirmation", "/Identity/Account/Lockout", "/Identity/Account/LoginWith2fa",
            "/Identity/Account/LoginWithRecoveryCode", "/Identity/Account/AccessDenied", "/Identity/Account/Logout",
            activation, "/Activation/" + new string('A', 43), "/Error", "/Error/404", "/Dev/Mail", "/ApiReference",
        ];
        string[] partnerPages =
        [
            "/", "/Requests/New", "/Requests/New?from=" + closed.Reference, "/Requests", "/Requests?status=Pending",
            $"/Requests/{open.Reference}", $"/Requests/{closed.Reference}", $"/Requests/{open.Reference}/Cancel",
            $"/Requests/Complete/{open.Reference}", "/Support", .. account,
        ];
        string[] supportPages = ["/Support", "/Support?q=contoso&status=Pending&sort=expires", $"/Support/Requests/{open.Reference}", $"/Support/Requests/{closed.Reference}", $"/Support/Requests/{open.Reference}/Cancel", "/Requests/New", .. account];

        // An organisation administrator with a colleague to act on, and an Administrator over both.
        var organisation = $"Hostile Input Ltd {Guid.NewGuid():N}";
        var (organisationAdministrator, organisationAdministratorEmail) = await factory.NewOrganisationAdministratorAsync(organisation);
        var colleague = await factory.CreateUserAsync($"colleague-{Guid.NewGuid():N}@example.com", organisation: organisation);
        var (administrator, _) = await factory.NewAdministratorAsync();
        var endpoint = await WebhookEndpointAsync(organisationAdministratorEmail);
        string[] organisationPages = ["/Organisation/People", "/Organisation/ApiKeys", "/Organisation/Webhooks", $"/Organisation/Webhooks/Endpoint/{endpoint}", .. account];
        string[] administratorPages =
        [
            "/Admin/Invitations", "/Admin/Audit", "/Admin/Audit?q=x&action=Deactivated", "/Staff/People", "/Staff/People?state=locked&q=%25",
            $"/Staff/People/Person/{colleague.Id}", "/Staff/Organisations", $"/Staff/Organisations/Organisation/{colleague.OrganisationId}",
        ];
        return
        [
            ("anonymous", factory.CreatePortalClient(), anonymousPages), ("partner", partner, partnerPages), ("support", support, supportPages),
            ("organisation administrator", organisationAdministrator, organisationPages), ("administrator", administrator, administratorPages),
        ];
    }

    /// <summary>A webhook endpoint of <paramref name="administratorEmail"/>'s organisation, with a delivery in its log.</summary>
    private async Task<int> WebhookEndpointAsync(string administratorEmail)
    {
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var administrator = (await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(administratorEmail))!;
        var endpoints = services.GetRequiredService<SmartAccountPortal.Webhooks.WebhookEndpoints>();
        var (endpoint, _) = await endpoints.CreateAsync(
            administrator.OrganisationId!.Value, "https://hooks.example.com/portal", null, SmartAccountPortal.Webhooks.WebhookEvents.Every, administrator, CancellationToken.None);
        await endpoints.SendTestAsync(endpoint, CancellationToken.None);
        return endpoint.Id;
    }

    /// <summary>Every form on the page, each of its buttons' handlers, and the page itself with no handler.</summary>
    private static async Task<List<Target>> TargetsOnAsync(string audience, HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var page = await Html.ReadAsync(response);
        var self = new Uri(new Uri("https://localhost"), path).PathAndQuery;
        // The page itself, with no handler, posted with a token that is valid for this client.
        var anyToken = (page.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value;
        var targets = new List<Target> { new(audience, self, [], anyToken) };
        foreach (var form in page.Forms.Cast<IHtmlFormElement>())
        {
            var fields = form.Elements.Select(e => e.GetAttribute("name")).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
            var token = (form.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value;
            var actions = new HashSet<string>(StringComparer.Ordinal) { ActionOf(form.Action) };
            foreach (var button in form.QuerySelectorAll("button[formaction]"))
            {
                actions.Add(new Uri(new Uri(form.Owner!.Url), button.GetAttribute("formaction")!).PathAndQuery);
            }

            // The handlers behind a GET form (a search) are reached by POST too.
            targets.AddRange(actions.Select(action => new Target(audience, action, fields, token)));
        }

        // Nobody signs the partner or support agent out half-way through.
        return audience == "anonymous" ? targets : targets.Where(t => !t.Action.Contains("Logout", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static string ActionOf(string href) => new Uri(href).PathAndQuery;

    private static HttpRequestMessage Generate(Random random, Target target, out string description)
    {
        var kind = random.Next(100);
        var action = target.Action;
        if (kind < 5)
        {
            var method = new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, new HttpMethod("PROPFIND") }[random.Next(4)];
            description = $"method {method}";
            return new HttpRequestMessage(method, action) { Content = Form(random, target, withToken: true, raw: false) };
        }

        if (kind < 10)
        {
            var handler = new[] { "Nope", "Activate", "Decline", "Submit", "Review", "Resend", "Retry", "Cancel", "Edit", "" }[random.Next(10)];
            action += (action.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + handler;
            description = $"handler '{handler}'";
            return new HttpRequestMessage(random.Next(2) == 0 ? HttpMethod.Get : HttpMethod.Post, action) { Content = Form(random, target, withToken: true, raw: false) };
        }

        var request = new HttpRequestMessage(HttpMethod.Post, action);
        switch (kind)
        {
            case < 14:
                description = "too many fields";
                request.Content = Body(Token(target) + string.Concat(Enumerable.Range(0, 1100 + random.Next(2000)).Select(n => $"&f{n}=1")));
                break;
            case < 17:
                description = "an oversized key";
                request.Content = Body(Token(target) + "&" + new string('k', 2049 + random.Next(5000)) + "=1");
                break;
            case < 18:
                description = "an oversized value";
                request.Content = Body(Token(target) + "&" + Field(random, target) + "=" + new string('v', (4 * 1024 * 1024) + 10));
                break;
            case < 22:
                description = "a raw NUL and control bytes";
                request.Content = new ByteArrayContent([.. Encoding.ASCII.GetBytes(Token(target) + "&" + Field(random, target) + "="), 0, 1, 0x1b, 0xff, 0xfe, .. "=x&"u8]);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                break;
            case < 27:
                description = "a broken multipart body";
                request.Content = new StringContent(
                    random.Next(2) == 0
                        ? "--b\r\nContent-Disposition: form-data; name=\"Input.AccountName\"\r\n\r\nno end boundary"
                        : "garbage without any boundary\r\n--b--",
                    Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(random.Next(3) == 0 ? "multipart/form-data" : "multipart/form-data; boundary=b");
                break;
            case < 32:
                var charset = new[] { "utf-7", "bogus", "utf-32", "x-unknown", "\"\"", "iso-8859-1", "utf-16" }[random.Next(7)];
                description = $"charset {charset}";
                request.Content = Form(random, target, withToken: true, raw: false);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=" + charset);
                break;
            case < 35:
                description = "a JSON body";
                request.Content = new StringContent("{\"Input\":{\"AccountName\":null},\"x\":[1,2,{}]}", Encoding.UTF8, "application/json");
                break;
            case < 45:
                description = "no antiforgery token";
                request.Content = Form(random, target, withToken: false, raw: random.Next(2) == 0);
                break;
            case < 70:
                description = "raw escapes";
                request.Content = Form(random, target, withToken: true, raw: true);
                break;
            default:
                description = "hostile values";
                request.Content = Form(random, target, withToken: true, raw: false);
                break;
        }

        return request;
    }

    private static string Token(Target target) =>
        target.Token is null ? "x=1" : "__RequestVerificationToken=" + Uri.EscapeDataString(target.Token);

    private static string Field(Random random, Target target) =>
        target.Fields.Count > 0 && random.Next(5) > 0 ? Uri.EscapeDataString(target.Fields[random.Next(target.Fields.Count)]) : "Input.Email";

    /// <summary>The target's fields (each kept, dropped, repeated or hostile), maybe extra ones, and the token.</summary>
    private static ByteArrayContent Form(Random random, Target target, bool withToken, bool raw)
    {
        var pairs = new List<string>();
        if (withToken)
        {
            pairs.Add(Token(target));
        }

        var names = target.Fields.Where(n => n != "__RequestVerificationToken").ToList();
        names.AddRange(["Input.RememberMe", "Input.Email", "Input.Password", "Decline.Reason", "Reason", "handler", "q", "p", "status", "sort"]);
        foreach (var name in names.Where(_ => random.Next(3) > 0))
        {
            for (var repeat = random.Next(6) == 0 ? 2 : 1; repeat > 0; repeat--)
            {
                var value = raw && random.Next(2) == 0
                    ? RawEncodedValues[random.Next(RawEncodedValues.Length)] + Uri.EscapeDataString(HostileValues[random.Next(20)])
                    : Uri.EscapeDataString(HostileValues[random.Next(HostileValues.Length)]);
                pairs.Add(Uri.EscapeDataString(name) + "=" + value);
            }
        }

        return Body(string.Join("&", pairs));
    }

    private static ByteArrayContent Body(string urlEncoded)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(urlEncoded));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }
}
