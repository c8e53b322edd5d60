using System.Globalization;

namespace SmartAccountPortal.Infrastructure;

/// <summary>How dates read on pages and in e-mails: one format, in UTC, the same for every reader.</summary>
public static class Display
{
    public static string Date(DateTime utc) => utc.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
