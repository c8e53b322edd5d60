using System.Text;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// The CSV exports (the support console, the audit list): the separator a spreadsheet in the
/// reader's language expects unless another is chosen, fields quoted and defused, UTF-8 with a BOM.
/// </summary>
public sealed class Csv
{
    public const string Comma = "comma";

    public const string Semicolon = "semicolon";

    private readonly StringBuilder text = new();
    private readonly char separator;

    /// <param name="choice">"comma", "semicolon", or anything else for <see cref="DefaultSeparator"/>.</param>
    public Csv(string? choice) =>
        separator = (choice is Comma or Semicolon ? choice : DefaultSeparator) == Comma ? ',' : ';';

    /// <summary>
    /// Spreadsheets in English settings split CSV at commas; in Italian, Dutch or German ones
    /// (where the comma is the decimal sign) at semicolons.
    /// </summary>
    public static string DefaultSeparator => Texts.CurrentLanguage == "en" ? Comma : Semicolon;

    /// <summary>The separator the other link offers.</summary>
    public static string OtherSeparator => DefaultSeparator == Comma ? Semicolon : Comma;

    public Csv Line(IEnumerable<string> fields)
    {
        text.AppendJoin(separator, fields.Select(Field)).Append("\r\n");
        return this;
    }

    /// <summary>The file: UTF-8 with a byte order mark, so spreadsheets read its accents right.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();

    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>
    /// One CSV field: quoted when it holds either separator, a quote or a line break; and a field a
    /// spreadsheet would take for a formula (=, +, -, @, tab, CR) is prefixed with a quote mark.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",;\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
