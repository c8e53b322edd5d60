using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Mail.Templates;

/// <summary>Translated sentences with links inside them, for the e-mail templates.</summary>
public static class Markup
{
    /// <summary>The sentence of <paramref name="key"/>, encoded, with each {n} replaced by the given markup.</summary>
    public static MarkupString Sentence(string key, params MarkupString[] parts)
    {
        var encoded = parts.Select(p => (object?)p.Value).ToArray();
        var text = HtmlEncoder.Default.Encode(Texts.Get(key));
        return new MarkupString(string.Format(System.Globalization.CultureInfo.CurrentCulture, text, encoded));
    }

    /// <summary>A link that shows its own address, so it reads the same in the HTML and the plain text.</summary>
    public static MarkupString Link(Uri address)
    {
        var encoded = HtmlEncoder.Default.Encode(address.AbsoluteUri);
        return new MarkupString($"<a href=\"{encoded}\" style=\"color:#0b5cad;word-break:break-all;\">{encoded}</a>");
    }
}
