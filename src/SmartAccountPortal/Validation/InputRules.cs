using System.Text.RegularExpressions;

namespace SmartAccountPortal.Validation;

/// <summary>
/// The allow-lists every field is held to. Deliberately stricter than RFC 5322: an address
/// here is letters, digits and . _ + ' -, '@', and a DNS name, so nothing typed can carry
/// quotes, line breaks, percent-escapes or encoded-word syntax ("=?utf-8?Q?…?=") into an
/// e-mail, and an address is what the person meant, not an escaped form of it.
/// </summary>
public static partial class InputRules
{
    public const int EmailMaxLength = 254;
    public const int DomainMaxLength = 253;
    private const int LocalPartMaxLength = 64;

    private static readonly char[] EmailSeparators = [',', ';', ' ', '\t', '\r', '\n'];

    /// <summary>One address in the form local@domain.tld, with a two-label domain at least.</summary>
    public static bool IsEmail(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > EmailMaxLength)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at > LocalPartMaxLength)
        {
            return false;
        }

        return LocalPart().IsMatch(value[..at]) && IsDomain(value[(at + 1)..]);
    }

    /// <summary>
    /// Text that is an escaped or encoded form of something else: a percent-escape ("it%40…") or
    /// an RFC 2047 encoded word ("=?utf-8?…?="). Never what a person means as an address.
    /// </summary>
    public static bool HasEscapes(string? value) =>
        value is not null && (value.Contains('%', StringComparison.Ordinal) || value.Contains("=?", StringComparison.Ordinal));

    /// <summary>A DNS name of two labels or more: letters, digits, inner hyphens.</summary>
    public static bool IsDomain(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > DomainMaxLength)
        {
            return false;
        }

        var labels = value.Split('.');
        return labels.Length >= 2 && labels.All(label => DomainLabel().IsMatch(label));
    }

    /// <summary>
    /// The domain as stored: what a partner pastes is made the bare name ("https://www.Example.com/x"
    /// becomes "example.com"; a trailing dot goes), and an internationalised name is kept in its
    /// ASCII form ("società-meccanica.it" becomes "xn--societ-meccanica-3nb.it"), lower case. Text
    /// that is no domain at all is returned trimmed and lower-cased, for the rules to refuse.
    /// </summary>
    public static string NormaliseDomain(string value)
    {
        var domain = value.Trim();
        var scheme = domain.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            domain = domain[(scheme + 3)..];
        }

        // A pasted address ends at its path, query or port; the user part of "user@host" is not the domain.
        var end = domain.IndexOfAny(['/', '?', '#', ':']);
        domain = end >= 0 ? domain[..end] : domain;
        if (scheme >= 0 && domain.LastIndexOf('@') is var at and >= 0)
        {
            domain = domain[(at + 1)..];
        }

        domain = domain.TrimEnd('.');
        if (domain.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && domain.Count(c => c == '.') >= 2)
        {
            domain = domain[4..];
        }

        return ToAscii(domain).ToLowerInvariant();
    }

    /// <summary>An address with its domain in the stored (ASCII, lower-case) form; the local part as typed.</summary>
    public static string NormaliseEmail(string value)
    {
        var email = value.Trim();
        var at = email.LastIndexOf('@');
        return at < 0 ? email : email[..(at + 1)] + ToAscii(email[(at + 1)..]).ToLowerInvariant();
    }

    /// <summary>A stored (ASCII) domain as people read it: "xn--societ-meccanica-3nb.it" is "società-meccanica.it".</summary>
    public static string DisplayDomain(string domain)
    {
        if (!domain.Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return domain;
        }

        try
        {
            return Idn.GetUnicode(domain);
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    private static readonly System.Globalization.IdnMapping Idn = new() { UseStd3AsciiRules = true };

    private static string ToAscii(string domain)
    {
        if (domain.All(char.IsAscii))
        {
            return domain;
        }

        try
        {
            return Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Not a name IDNA allows: left as typed, so the rules refuse it with their message.
            return domain;
        }
    }

    /// <summary>True when the address is in <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool IsInDomain(string email, string domain)
    {
        var emailDomain = ToAscii(email[(email.LastIndexOf('@') + 1)..]).ToLowerInvariant();
        var normalised = NormaliseDomain(domain);
        return emailDomain == normalised || emailDomain.EndsWith("." + normalised, StringComparison.Ordinal);
    }

    /// <summary>
    /// Splits a list typed as one field (commas, semicolons, spaces or new lines), dropping
    /// empty entries and repeats that differ only in case; the first spelling wins.
    /// </summary>
    public static IReadOnlyList<string> SplitEmails(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(EmailSeparators, StringSplitOptions.RemoveEmptyEntries)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();

    /// <summary>Any control character at all (for one-line fields).</summary>
    public static bool HasControlCharacters(string? value) => value is not null && value.Any(char.IsControl);

    /// <summary>Control characters other than line breaks and tabs (for multi-line notes).</summary>
    public static bool HasControlCharactersBesidesLineBreaks(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'));

    /// <summary>Trimmed, with line breaks made \n; null when nothing is left.</summary>
    public static string? NormaliseNote(string? value)
    {
        var trimmed = value?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_+'-]+(\.[A-Za-z0-9_+'-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalPart();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainLabel();
}
