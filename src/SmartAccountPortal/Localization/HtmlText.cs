using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace SmartAccountPortal.Localization;

/// <summary>
/// A translated sentence with markup inside it (a link, an emphasis): the text is HTML-encoded,
/// and each placeholder {0}, {1} … is replaced by the given markup, so translators move the
/// link within the sentence without writing HTML.
/// </summary>
public static class HtmlText
{
    public static IHtmlContent Html(this IStringLocalizer localizer, string key, params IHtmlContent[] parts)
    {
        var text = localizer[key].Value;
        var builder = new HtmlContentBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (open < 0 || close < 0 || !int.TryParse(text.AsSpan(open + 1, close - open - 1), out var index) || index < 0 || index >= parts.Length)
            {
                builder.Append(text[position..]);
                break;
            }

            builder.Append(text[position..open]);
            builder.AppendHtml(parts[index]);
            position = close + 1;
        }

        return builder;
    }

    /// <summary>Plain text, encoded, to stand in a placeholder.</summary>
    public static IHtmlContent Plain(string text) => new HtmlString(HtmlEncoder.Default.Encode(text));

    /// <summary>A link with an encoded address and text.</summary>
    public static IHtmlContent Link(string href, string text) =>
        new HtmlString($"<a href=\"{HtmlEncoder.Default.Encode(href)}\">{HtmlEncoder.Default.Encode(text)}</a>");

    /// <summary>Text in an element such as em or strong, encoded.</summary>
    public static IHtmlContent Element(string name, string text) =>
        new HtmlString($"<{name}>{HtmlEncoder.Default.Encode(text)}</{name}>");
}
