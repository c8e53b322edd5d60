using System.Globalization;

namespace SmartAccountPortal.Infrastructure;

/// <summary>How dates read on pages and in e-mails: in the reader's language, in UTC.</summary>
public static class Display
{
    /// <summary>"19 February 2027", "19 febbraio 2027", "19 februari 2027": the reader's language.</summary>
    public static string Date(DateTime utc) => utc.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string DateTime(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.CurrentCulture);

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

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
