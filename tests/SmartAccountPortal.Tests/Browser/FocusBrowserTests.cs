using Microsoft.Playwright;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// With the keyboard alone, every control reached with Tab shows a focus indicator that stands
/// out from what is behind it by at least 3:1 (WCAG 1.4.11), on the light page and on the dark
/// header alike. The ratio is computed from the styles the browser applies.
/// </summary>
public sealed class FocusBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>The focused element's outline, and the contrast of its colour against the nearest background behind it.</summary>
    private const string FocusIndicator = """
        () => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const style = getComputedStyle(e);
            const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
            const luminance = ([r, g, b]) => [r, g, b]
                .map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            // The ring is drawn around the element, over its parent's background.
            let behind = [255, 255, 255];
            for (let p = e.parentElement; p; p = p.parentElement) {
                const c = rgb(getComputedStyle(p).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0)) { behind = c.slice(0, 3); break; }
            }
            const ring = rgb(style.outlineColor).slice(0, 3);
            const [light, dark] = [luminance(ring), luminance(behind)].sort((a, b) => b - a);
            const label = (e.getAttribute('aria-label') || e.textContent || e.name || e.id || e.tagName).trim().slice(0, 40);
            return { label, style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: (light + 0.05) / (dark + 0.05) };
        }
        """;

    private sealed class Indicator
    {
        public string Label { get; set; } = "";

        public string Style { get; set; } = "";

        public double Width { get; set; }

        public double Ratio { get; set; }
    }

    private static async Task<List<string>> TabThroughAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        var problems = new List<string>();
        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<Indicator?>(FocusIndicator);
            if (focused is null || !seen.Add(focused.Label))
            {
                continue;
            }

            if (focused.Style == "none" || focused.Width < 2 || focused.Ratio < 3)
            {
                problems.Add($"{path}: \"{focused.Label}\" has a {focused.Width}px {focused.Style} focus ring at {focused.Ratio:F2}:1");
            }
        }

        Assert.True(seen.Count >= 3, $"{path}: Tab reached only {seen.Count} controls");
        return problems;
    }

    [Fact]
    public async Task EveryControlReachedWithTab_ShowsAFocusRingOfAtLeast3To1()
    {
        var partner = $"partner-{Guid.NewGuid():N}@example.com";
        await browser.Portal.CreateUserAsync(partner);
        var problems = new List<string>();

        var visitor = await browser.NewPageAsync();
        problems.AddRange(await TabThroughAsync(visitor, "/"));
        problems.AddRange(await TabThroughAsync(visitor, "/Identity/Account/Login"));

        var page = await browser.NewPageAsync();
        await PartnerSteps.SignInByFormAsync(page, partner);
        problems.AddRange(await TabThroughAsync(page, "/Requests/New"));
        problems.AddRange(await TabThroughAsync(page, "/Requests"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await visitor.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
