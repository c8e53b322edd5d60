using AngleSharp.Html.Dom;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Reading a list page (support console, My Requests) as a person reads it.</summary>
public static class Lists
{
    /// <summary>The references of the rows shown, top to bottom.</summary>
    public static List<string> References(IHtmlDocument page) =>
        page.QuerySelectorAll("tbody tr td:first-child a").Select(a => a.TextContent).ToList();

    /// <summary>The number in the count line ("1,234 requests").</summary>
    public static int Count(IHtmlDocument page) =>
        int.Parse(page.QuerySelector(".count")!.TextContent.Trim().Split(' ')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
