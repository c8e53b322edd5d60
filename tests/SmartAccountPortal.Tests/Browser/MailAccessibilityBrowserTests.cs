using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
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
        var request = await browser.Portal.WriteEveryKindAsync(partnerEmail, language);
        var messages = await browser.Portal.OfAsync(request, partnerEmail);
        Assert.Equal(Enum.GetValues<MailKind>().Order(), messages.Select(m => m.Kind).Distinct().Order());

        var page = await browser.NewPageAsync(locale: language);
        var problems = new List<string>();
        // The WCAG rules, then the rules about the document itself (its language, its title, one
        // main heading). Landmark rules are left out: mail clients show the body inside their own page.
        AxeRunOptions[] runs =
        [
            new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = PageChecks.Tags } },
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
