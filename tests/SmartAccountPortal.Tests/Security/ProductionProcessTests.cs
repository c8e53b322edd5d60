using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Security;

/// <summary>
/// The portal started the way an operator starts it, in Production, with what its console sink
/// really writes captured: a whole partner and customer journey, and not one secret in the log.
/// </summary>
public sealed class ProductionProcessTests
{
    private const string Password = "a partner's long password";
    private const string NewPassword = "another long password, new";

    [Fact]
    public async Task WholeJourney_InProduction_LogsJsonWithNoTokenPasswordResetCodeOrCookie()
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await using var portal = await PortalProcess.StartAsync(new Dictionary<string, string>
        {
            ["RateLimits__SignInPerMinute"] = "5",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        });
        var environment = PortalProcess.ProductionEnvironment(portal.Directory);
        var (code, created) = await PortalProcess.RunCommandAsync(environment, Password, "users", "add", "--email", partner, "--role", "Partner", "--organisation", "Northwind Partners");
        Assert.True(code == 0, created);

        var cookies = new CookieContainer();
        using var client = portal.CreateClient(cookies);
        await client.SignInAsync(partner, Password);
        var domain = RequestSteps.NewDomain();
        var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
        using var review = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso Pharmaceuticals",
            ["Input.CustomerEmail"] = $"it.lead@{domain}",
            ["Input.AccountDomain"] = domain,
        });
        var dialog = (await client.ReadFollowingAsync(review)).Form("[role=dialog] form");
        using (var submitted = await client.SubmitAsync(dialog, dialog.Button("Submit Request")))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        // The customer follows the link and activates; a token with a stray segment is tried too.
        var activationMail = await portal.WaitForMailAsync($"it.lead@{domain}", "Activate");
        var link = new Uri(MailText.Link(activationMail.Text, "/Activation/"));
        var token = link.AbsolutePath.Split('/')[^1];
        using var customer = portal.CreateClient();
        var activation = await customer.GetPageAsync(link.PathAndQuery);
        var activate = activation.QuerySelectorAll("main form").Cast<AngleSharp.Html.Dom.IHtmlFormElement>().Single(f => f.QuerySelector("button")!.TextContent == "Activate Smart Account");
        using (var answered = await customer.SubmitAsync(activate, activate.Button("Activate Smart Account")))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        using (var stray = await customer.GetAsync(link.AbsolutePath + "/more"))
        {
            Assert.Equal(HttpStatusCode.NotFound, stray.StatusCode);
        }

        // The partner forgets the password and chooses a new one from the e-mailed link.
        using var anonymous = portal.CreateClient();
        var forgot = await anonymous.GetPageAsync("/Identity/Account/ForgotPassword");
        (await anonymous.SubmitAsync(forgot.Form(), values: new Dictionary<string, string> { ["Input.Email"] = partner })).Dispose();
        var resetMail = await portal.WaitForMailAsync(partner, "Choose a new password");
        var resetLink = new Uri(MailText.Link(resetMail.Text, "/Identity/Account/ResetPassword"));
        var resetCode = QueryHelpers.ParseQuery(resetLink.Query)["code"].ToString();
        var reset = await anonymous.GetPageAsync(resetLink.PathAndQuery);
        using (var changed = await anonymous.SubmitAsync(reset.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = partner,
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        await anonymous.SignInAsync(partner, NewPassword);
        var cookieValues = cookies.GetAllCookies().Select(c => c.Value).Where(v => v.Length >= 16).ToList();
        Assert.NotEmpty(cookieValues);

        // Give the console a moment to flush the last lines, then read what it wrote.
        await Task.Delay(500);
        var log = portal.Output;
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        Assert.Contains(lines, l => l.Contains("\"Path\":\"/Activation/{token}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"Path\":\"/Identity/Account/ResetPassword\"", StringComparison.Ordinal));

        string[] secrets =
        [
            token, token[..20], resetCode, resetCode[..20], Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(resetCode)),
            Password, NewPassword, .. cookieValues, .. cookieValues.Select(v => v[..16]),
        ];
        foreach (var secret in secrets)
        {
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"The log holds a secret ({secret[..Math.Min(6, secret.Length)]}…).");
        }
    }

    [Fact]
    public async Task Production_SeedsNothing_HasNoDevelopmentPages_RedirectsHttpToHttps_AndTrustsNoForwardedFor()
    {
        await using var portal = await PortalProcess.StartAsync(new Dictionary<string, string>
        {
            ["Seed__Password"] = "Portal-Dev-2026!",
            ["RateLimits__SignInPerMinute"] = "2",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        });
        using var client = portal.CreateClient();

        Assert.Contains("\"EnvName\":\"Production\"", portal.Output, StringComparison.Ordinal);
        using (var mail = await client.GetAsync("/Dev/Mail"))
        {
            Assert.Equal(HttpStatusCode.NotFound, mail.StatusCode);
        }

        using (var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            using var redirected = await plain.PostAsync($"http://127.0.0.1:{portal.HttpPort}/Identity/Account/Login?returnUrl=%2F", new StringContent("x=1"));
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
            Assert.Equal($"https://127.0.0.1:{portal.HttpsPort}/Identity/Account/Login?returnUrl=%2F", redirected.Headers.Location!.ToString());
        }

        // The Development accounts do not exist, and claiming other client addresses does not
        // buy more attempts even with ASP.NET Core's forwarded-headers switch on.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var page = await client.GetPageAsync("/Identity/Account/Login");
            var token = page.Form().QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token,
                    ["Input.Email"] = "partner@example.com",
                    ["Input.Password"] = "Portal-Dev-2026!",
                }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task DotnetRun_WithProductionInTheEnvironment_StartsInProduction()
    {
        var directory = Path.Combine(Path.GetTempPath(), "smart-account-portal-process", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = PortalProcess.RepositoryRoot,
        };
        foreach (var arg in new[] { "run", "--no-build", "-c", configuration!, "--project", "src/SmartAccountPortal", "--", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in PortalProcess.ProductionEnvironment(directory))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var started = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.Contains("\"EnvName\"", StringComparison.Ordinal) == true)
                {
                    started.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (output)
        {
            var text = output.ToString();
            Assert.Contains("\"EnvName\":\"Production\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Created Development account", text, StringComparison.Ordinal);
        }
    }
}
