using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Reads the .eml files the pickup directory holds, enough for the Development mail page:
/// headers (with RFC 2047 encoded words), and the text and HTML parts of a
/// multipart/alternative body in quoted-printable or base64.
/// </summary>
public sealed partial record EmlFile(string Subject, string From, string To, string? MessageId, DateTimeOffset? Date, string? Text, string? Html)
{
    public static EmlFile Parse(string raw)
    {
        var (headers, body) = SplitPart(raw);
        var parts = new List<(Dictionary<string, string> Headers, string Body)>();
        Collect(headers, body, parts);
        string? Part(string type) => parts
            .Where(p => Header(p.Headers, "Content-Type").StartsWith(type, StringComparison.OrdinalIgnoreCase))
            .Select(p => Decode(p.Body, Header(p.Headers, "Content-Transfer-Encoding"), Charset(Header(p.Headers, "Content-Type"))))
            .FirstOrDefault();

        return new EmlFile(
            DecodeWords(Header(headers, "Subject")),
            DecodeWords(Header(headers, "From")),
            DecodeWords(Header(headers, "To")),
            Header(headers, "Message-ID") is { Length: > 0 } id ? id : null,
            DateTimeOffset.TryParse(Header(headers, "Date"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            Part("text/plain"),
            Part("text/html"));
    }

    private static void Collect(Dictionary<string, string> headers, string body, List<(Dictionary<string, string>, string)> parts)
    {
        var type = Header(headers, "Content-Type");
        var boundary = BoundaryParameter().Match(type);
        if (!type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) || !boundary.Success)
        {
            parts.Add((headers, body));
            return;
        }

        var delimiter = "--" + boundary.Groups[1].Value.Trim('"');
        foreach (var chunk in body.Split(delimiter).Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var (partHeaders, partBody) = SplitPart(chunk.TrimStart('\r', '\n'));
            Collect(partHeaders, partBody, parts);
        }
    }

    private static (Dictionary<string, string> Headers, string Body) SplitPart(string raw)
    {
        var normalised = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = normalised.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? normalised : normalised[..end];
        var body = end < 0 ? "" : normalised[(end + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, body);
    }

    private static string Header(Dictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : "";

    private static Encoding Charset(string contentType)
    {
        var match = CharsetParameter().Match(contentType);
        try
        {
            return match.Success ? Encoding.GetEncoding(match.Groups[1].Value.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private static string Decode(string body, string transferEncoding, Encoding charset) =>
        transferEncoding.Trim().ToLowerInvariant() switch
        {
            "base64" => charset.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
            "quoted-printable" => charset.GetString(QuotedPrintable(body.Replace("=\n", "", StringComparison.Ordinal), underscoreIsSpace: false)),
            _ => body,
        };

    private static byte[] QuotedPrintable(string text, bool underscoreIsSpace)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else if (underscoreIsSpace && text[i] == '_')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return bytes.ToArray();
    }

    /// <summary>=?utf-8?B?...?= and =?utf-8?Q?...?= words, with the space between two of them dropped.</summary>
    private static string DecodeWords(string value) =>
        EncodedWord().Replace(BetweenWords().Replace(value, "$1$2"), match =>
        {
            var charset = Charset("charset=" + match.Groups[1].Value);
            var text = match.Groups[3].Value;
            return match.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? charset.GetString(Convert.FromBase64String(text))
                : charset.GetString(QuotedPrintable(text, underscoreIsSpace: true));
        });

    [GeneratedRegex(@"boundary=(""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"charset=(""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetParameter();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"(\?=)\s+(=\?)")]
    private static partial Regex BetweenWords();
}
