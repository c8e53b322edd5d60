using System.Globalization;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// How dates read on pages and in e-mails: in the reader's language and time zone. Stored times
/// are UTC; <see cref="ReaderTimeZone"/> says whose clock they are shown on.
/// </summary>
public static class Display
{
    /// <summary>"19 February 2027", "19 febbraio 2027", "19 februari 2027": the reader's language, the day in the reader's zone.</summary>
    public static string Date(DateTime utc) => Local(utc).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>"19 Feb 2027, 09:30 (UTC+01:00)": the time on the reader's clock, with the zone named.</summary>
    public static string DateTime(DateTime utc)
    {
        var local = Local(utc);
        return local.ToString("d MMM yyyy, HH:mm", CultureInfo.CurrentCulture) + " (" + (local.Offset == TimeSpan.Zero ? "UTC" : UtcOffset(local.Offset)) + ")";
    }

    private static DateTimeOffset Local(DateTime utc) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc)), ReaderTimeZone.Current);

    /// <summary>"UTC+01:00", "UTC-05:00".</summary>
    public static string UtcOffset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString("hh\\:mm", CultureInfo.InvariantCulture);

    /// <summary>A whole number of hours or minutes, such as "15 minutes" or "1 hour", in the reader's language.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours))
        {
            var hours = (int)span.TotalHours;
            return Localization.Texts.Format(hours == 1 ? "Duration.Hour" : "Duration.Hours", hours);
        }

        var minutes = (int)Math.Ceiling(span.TotalMinutes);
        return Localization.Texts.Format(minutes == 1 ? "Duration.Minute" : "Duration.Minutes", minutes);
    }

    /// <summary>"2026-03-01T23:30:00Z": the instant itself, for machines (a <c>time</c> element's <c>datetime</c>).</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2026-03-02T00:30:00+01:00": ISO 8601 on the reader's clock, with its offset, so the instant is exact.</summary>
    public static string IsoWithOffset(DateTime utc) => Local(utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// "2026-03-02 00:30:00" on the reader's clock: the one way of writing a date and time that
    /// Excel, LibreOffice Calc and Google Sheets all read as a date in every locale (none of them
    /// reads the ISO 8601 'T' with an offset as one).
    /// </summary>
    public static string SpreadsheetDateTime(DateTime utc) => Local(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
