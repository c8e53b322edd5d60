using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// What every page must pass, at a desktop width and at 320 px: axe-core's WCAG 2.2 A and AA
/// rules with no violation, and no sideways scrolling of the page (only a labelled scroll
/// region may scroll sideways, on its own); and no script or console error on the way.
/// Problems are collected, so one run lists them all.
/// </summary>
internal sealed class PageChecks(string language)
{
    public static readonly int[] Widths = [1280, 320];

    /// <summary>axe-core's tags for the WCAG 2.0, 2.1 and 2.2 A and AA rules.</summary>
    public static readonly List<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    public List<string> Problems { get; } = [];

    /// <summary>How many page states were checked.</summary>
    public int Checked { get; private set; }

    private readonly HashSet<IPage> watched = [];

    public async Task AtAsync(IPage page, string path)
    {
        Watch(page);
        await page.GotoAsync(path);
        await CheckAsync(page, path);
    }

    /// <summary>The page as it stands now (a dialog open, errors shown), at each width.</summary>
    public async Task CheckAsync(IPage page, string what)
    {
        Watch(page);
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = Tags } });
            foreach (var violation in result.Violations)
            {
                foreach (var node in violation.Nodes)
                {
                    Problems.Add($"{language} {width}px {what}: {violation.Id} ({violation.Help}) at {node.Target}: {node.Html}");
                }
            }

            foreach (var sideways in await page.EvaluateAsync<string[]>(SidewaysScroll))
            {
                Problems.Add($"{language} {width}px {what}: {sideways}");
            }

            Checked++;
        }

        await page.SetViewportSizeAsync(1280, 900);
    }

    /// <summary>
    /// From now on, a script error on the page, or anything the browser reports as an error in
    /// its console (a resource that fails to load, a blocked script or style), is a problem. The
    /// document itself answering 404 on an error page is what that page is for.
    /// </summary>
    private void Watch(IPage page)
    {
        if (!watched.Add(page))
        {
            return;
        }

        page.PageError += (_, error) => Problems.Add($"{language} {page.Url}: script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !(message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && message.Location.StartsWith(page.Url + ":", StringComparison.Ordinal)))
            {
                Problems.Add($"{language} {page.Url}: console error: {message.Text} ({message.Location})");
            }
        };
    }

    /// <summary>
    /// Whether the page is wider than the window, and which elements stick out; and whether
    /// anything that scrolls sideways on its own is a labelled, focusable region.
    /// </summary>
    private const string SidewaysScroll = """
        () => {
            const problems = [];
            const root = document.documentElement;
            const scrollsAlone = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth;
            const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
            if (root.scrollWidth > root.clientWidth) {
                const inside = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) { if (scrollsAlone(p)) return true; } return false; };
                // An element sticks out, or its text does (a long word that does not break).
                const beyond = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5
                    || (getComputedStyle(e).overflowX === 'visible' && e.getBoundingClientRect().left + e.scrollWidth > root.clientWidth + 0.5));
                const outside = beyond.filter(e => !inside(e));
                // Something inside a scroll region that still widens the page is positioned out of it.
                const sticking = (outside.length > 0 ? outside : beyond)
                    .filter((e, _, all) => !all.some(o => o !== e && e.contains(o)))
                    .slice(0, 4)
                    .map(e => describe(e) + ' to ' + Math.round(e.getBoundingClientRect().right) + ' px');
                problems.push('the page scrolls sideways (' + root.scrollWidth + ' px wide in ' + root.clientWidth + ' px): ' + sticking.join(', '));
            }
            for (const e of document.body.querySelectorAll('*')) {
                if (scrollsAlone(e) && !(e.getAttribute('role') === 'region' && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')) && e.tabIndex === 0)) {
                    problems.push(describe(e) + ' scrolls sideways but is not a labelled, focusable region');
                }
            }
            return problems;
        }
        """;
}
