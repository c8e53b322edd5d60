using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// The time zone the current reader's dates and times are shown in: a signed-in person's own
/// choice (kept in the sign-in cookie), otherwise Portal:DefaultTimeZone, which customers and
/// e-mails always use. Set for each request by <see cref="UseReaderTimeZone"/>, and by
/// <see cref="Use"/> around the writing of each e-mail; UTC where nothing set it.
/// </summary>
public static class ReaderTimeZone
{
    public const string Claim = "portal:time_zone";

    private static readonly AsyncLocal<TimeZoneInfo?> CurrentZone = new();

    public static TimeZoneInfo Current
    {
        get => CurrentZone.Value ?? TimeZoneInfo.Utc;
        set => CurrentZone.Value = value;
    }

    /// <summary>Shows dates on <paramref name="zone"/>'s clock and in <paramref name="culture"/> until disposed.</summary>
    public static IDisposable Use(TimeZoneInfo zone, CultureInfo culture)
    {
        var (previousZone, previousCulture, previousUiCulture) = (CurrentZone.Value, CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CurrentZone.Value = zone;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        return new Restore(() =>
        {
            CurrentZone.Value = previousZone;
            CultureInfo.CurrentCulture = previousCulture;
            CultureInfo.CurrentUICulture = previousUiCulture;
        });
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The zone with that IANA (or Windows) id, or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    public static IApplicationBuilder UseReaderTimeZone(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var fallback = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.DefaultTimeZone;
            Current = Find(context.User.FindFirstValue(Claim)) ?? Find(fallback) ?? TimeZoneInfo.Utc;
            return next(context);
        });

    /// <summary>Every zone a person can choose, by its id, in the order of their offsets.</summary>
    public static IReadOnlyList<TimeZoneInfo> Choices() =>
        TimeZoneInfo.GetSystemTimeZones().Where(z => z.Id.Contains('/', StringComparison.Ordinal) || z.Id == "UTC")
            .OrderBy(z => z.BaseUtcOffset).ThenBy(z => z.Id, StringComparer.Ordinal).ToList();

    /// <summary>"(UTC+01:00) Europe/Rome".</summary>
    public static string Label(TimeZoneInfo zone) => $"({Display.UtcOffset(zone.BaseUtcOffset)}) {zone.Id}";
}
