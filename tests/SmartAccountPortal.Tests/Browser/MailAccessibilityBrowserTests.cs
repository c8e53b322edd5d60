using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// Every kind of e-mail, in each language, as its HTML part opens in a browser: axe-core's WCAG
/// 2.2 A and AA rules and its document rules (language, title, a main heading) with no violation.
/// </summary>
public sealed class MailAccessibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string> Languages => new() { "en", "it", "nl" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryEmailKind_PassesAxe_AsADocument(string language)
    {
        var partnerEmail = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partnerEmail);
        var domain = RequestSteps.NewDomain();
        int requestId;
        using (var scope = browser.Portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            var mailer = scope.ServiceProvider.GetRequiredService<RequestMailer>();
            var user = await db.Users.SingleAsync(u => u.Email == partnerEmail);
            var request = AccountRequest.Submit(
                ReferenceGenerator.Next(),
                new RequestDetails("Contoso Pharmaceuticals", $"it.lead@{domain}", domain, "Please accept this week.", [$"ann@{domain}"], "Welcome aboard.", language),
                user, Guid.NewGuid().ToString("N"), ActivationTokens.Create().Hash, browser.Portal.Clock.GetUtcNow().UtcDateTime, AccountRequest.DefaultExpiresAfter);
            db.Requests.Add(request);
            var sender = new Sender(partnerEmail, "Northwind Partners", language);
            await mailer.SubmittedAsync(request, sender, ActivationTokens.Create().Token);
            await mailer.CancelledAsync(request, sender, "Customer asked us to wait.");
            await mailer.ActivatedAsync(request, sender);
            await mailer.DeclinedAsync(request, sender, "Not now.");
            await mailer.ExpiredAsync(request, sender);
            await mailer.PasswordResetAsync(partnerEmail, language, new Uri("https://portal.test/Identity/Account/ResetPassword?code=abc"));
            await db.SaveChangesAsync();
            requestId = request.Id;
        }

        var messages = await browser.Portal.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.AccountRequestId == requestId || m.To == partnerEmail).ToListAsync());
        Assert.Equal(Enum.GetValues<MailKind>().Order(), messages.Select(m => m.Kind).Distinct().Order());

        var page = await browser.NewPageAsync(locale: language);
        var problems = new List<string>();
        // The WCAG rules, then the rules about the document itself (its language, its title, one
        // main heading). Landmark rules are left out: mail clients show the body inside their own page.
        AxeRunOptions[] runs =
        [
            new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] } },
            new() { RunOnly = new RunOnlyOptions { Type = "rule", Values = ["html-has-lang", "html-lang-valid", "document-title", "page-has-heading-one"] } },
        ];
        foreach (var message in messages)
        {
            await page.SetContentAsync(message.HtmlBody.Replace(OutboxMessage.LinkPlaceholder, "https://portal.test/Activation/link", StringComparison.Ordinal));
            foreach (var run in runs)
            {
                var result = await page.RunAxe(run);
                problems.AddRange(result.Violations.SelectMany(v => v.Nodes.Select(n => $"{language} {message.Kind}: {v.Id} ({v.Help}) at {n.Target}")));
                Assert.True(result.Passes.Length + result.Violations.Length > 0, "axe ran no rule");
            }

            Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            Assert.Equal(message.Subject, await page.TitleAsync());
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }
}
