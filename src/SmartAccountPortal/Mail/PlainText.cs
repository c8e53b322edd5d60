using System.Net;
using System.Text;

namespace SmartAccountPortal.Mail;

/// <summary>
/// The plain-text part of an e-mail, read from its rendered HTML so that the two parts always say
/// the same thing. It reads only the renderer's own output, where every text and attribute value is
/// encoded, so a tag is always exactly what stands between '&lt;' and '&gt;'.
/// Paragraphs become blank-line separated, <c>br</c> a line break, <c>li</c> a "- " line,
/// <c>blockquote</c> "&gt; " lines and <c>hr</c> a "--" line; a link whose text is not its address
/// gets the address after it. An element marked <c>data-html-only</c> (a button whose link is also
/// written out, a heading that repeats the subject) is left out.
/// </summary>
public static class PlainText
{
    private static readonly HashSet<string> Paragraphs = new(StringComparer.Ordinal)
    {
        "p", "h1", "h2", "h3", "ul", "ol", "table", "blockquote", "dl", "header", "footer",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.Ordinal) { "div", "li", "tr", "dt", "dd", "section" };

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "hr", "img", "meta", "link", "input", "!doctype" };

    public sealed record Result(string Title, string Text);

    public static Result FromHtml(string html)
    {
        var writer = new Writer();
        var title = new StringBuilder();
        var open = new List<Element>();
        var position = 0;
        while (position < html.Length)
        {
            var start = html.IndexOf('<', position);
            var text = html[position..(start < 0 ? html.Length : start)];
            if (text.Length > 0)
            {
                var decoded = WebUtility.HtmlDecode(text);
                if (open.Exists(e => e.Name == "title"))
                {
                    title.Append(decoded);
                }
                else if (!open.Exists(e => e.Hidden))
                {
                    writer.Text(decoded);
                }
            }

            if (start < 0)
            {
                break;
            }

            var end = html.IndexOf('>', start);
            if (end < 0)
            {
                break;
            }

            Tag(html[(start + 1)..end], open, writer);
            position = end + 1;
        }

        return new Result(Collapse(title.ToString()), writer.ToString());
    }

    private static void Tag(string tag, List<Element> open, Writer writer)
    {
        if (tag.StartsWith("!--", StringComparison.Ordinal))
        {
            return;
        }

        var closing = tag.StartsWith('/');
        var body = closing ? tag[1..] : tag;
        var nameEnd = body.IndexOfAny([' ', '\t', '\n', '\r', '/']);
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var hidden = open.Exists(e => e.Hidden);
        if (closing)
        {
            var index = open.FindLastIndex(e => e.Name == name);
            if (index < 0)
            {
                return;
            }

            var element = open[index];
            open.RemoveRange(index, open.Count - index);
            if (!element.Hidden)
            {
                Close(element, writer);
            }

            return;
        }

        if (Void.Contains(name))
        {
            if (!hidden && name == "br")
            {
                writer.LineBreak();
            }
            else if (!hidden && name == "hr")
            {
                writer.Rule();
            }

            return;
        }

        var opened = new Element(
            name,
            hidden || name is "head" or "style" or "script" || body.Contains(" data-html-only", StringComparison.Ordinal),
            name == "a" ? Attribute(body, "href") : null,
            writer.Mark);
        open.Add(opened);
        if (!opened.Hidden)
        {
            Open(opened, writer);
        }
    }

    private static void Open(Element element, Writer writer)
    {
        if (Paragraphs.Contains(element.Name))
        {
            writer.Paragraph();
        }
        else if (Lines.Contains(element.Name))
        {
            writer.Line();
        }

        if (element.Name == "li")
        {
            writer.Text("- ");
        }
        else if (element.Name == "blockquote")
        {
            writer.Quote++;
        }
    }

    private static void Close(Element element, Writer writer)
    {
        if (element.Name == "a" && !string.IsNullOrEmpty(element.Href)
            && !element.Href.StartsWith("mailto:", StringComparison.Ordinal)
            && writer.Since(element.Mark).Trim() != element.Href)
        {
            writer.Text(" (" + element.Href + ")");
        }
        else if (element.Name == "blockquote")
        {
            writer.Quote--;
        }

        if (Paragraphs.Contains(element.Name))
        {
            writer.Paragraph();
        }
        else if (Lines.Contains(element.Name))
        {
            writer.Line();
        }
    }

    private static string? Attribute(string tag, string name)
    {
        var marker = " " + name + "=\"";
        var start = tag.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = tag.IndexOf('"', start);
        return end < 0 ? null : WebUtility.HtmlDecode(tag[start..end]);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed record Element(string Name, bool Hidden, string? Href, int Mark);

    /// <summary>Collapses the HTML's whitespace the way a browser does, and keeps at most one blank line.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder output = new();
        private int breaks = 2;
        private bool space;

        /// <summary>Right after a rule: the block that follows goes on the next line, as under a signature separator.</summary>
        private bool ruled;

        public int Quote { get; set; }

        public int Mark => output.Length;

        public string Since(int mark) => output.ToString(mark, output.Length - mark);

        public void Text(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c) && c != '\u00A0')
                {
                    space = breaks == 0;
                    continue;
                }

                if (breaks > 0)
                {
                    if (output.Length > 0)
                    {
                        output.Append('\n', breaks);
                    }

                    output.Insert(output.Length, "> ", Quote);
                    breaks = 0;
                }
                else if (space)
                {
                    output.Append(' ');
                }

                space = false;
                ruled = false;
                output.Append(c == '\u00A0' ? ' ' : c);
            }
        }

        public void LineBreak()
        {
            if (breaks > 0)
            {
                // A forced break on an empty line still counts, once.
                breaks = Math.Min(breaks + 1, 2);
                return;
            }

            breaks = 1;
            space = false;
        }

        public void Line() => breaks = Math.Max(breaks, 1);

        public void Paragraph() => breaks = ruled ? Math.Max(breaks, 1) : 2;

        public void Rule()
        {
            Paragraph();
            Text("--");
            breaks = 1;
            ruled = true;
        }

        public override string ToString() => output.ToString().TrimEnd() + "\n";
    }
}
