using System.Text;

namespace SmartAccountPortal.Mail;

/// <summary>
/// Header text (a subject) as the portal writes it. System.Net.Mail passes an all-ASCII
/// subject through untouched, so text a partner typed that looks like an RFC 2047 encoded word
/// ("=?utf-8?Q?…=0D=0ABcc:…?=") would be decoded by mail clients into something else, even fake
/// header lines. Such text, and any text that is not plain ASCII, is encoded here as UTF-8
/// base64 words, which a client decodes exactly once, back to the text as typed.
/// </summary>
public static class MailHeaders
{
    /// <summary>Encoded words stay within RFC 2047's 75 characters: 45 bytes become 60 characters of base64.</summary>
    private const int BytesPerWord = 45;

    public static string EncodeText(string text)
    {
        if (text.All(c => c is >= ' ' and <= '~') && !text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // Line breaks and other controls never reach a header, whatever the caller passed.
            var value = Rune.IsControl(rune) ? new Rune(' ') : rune;
            if (chunkBytes + value.Utf8SequenceLength > BytesPerWord)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(value.ToString());
            chunkBytes += value.Utf8SequenceLength;
        }

        if (chunk.Length > 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        // The space between two encoded words is not part of the text.
        return string.Join(' ', words);
    }

    private static string Word(string text) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
