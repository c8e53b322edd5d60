using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace SmartAccountPortal.Localization;

/// <summary>
/// Every text a person reads, one JSON file per language (<c>Resources/texts.{culture}.json</c>,
/// embedded in the assembly), looked up by key in the current UI culture: its own file, then its
/// parent culture's ("it-CH" → "it"), then English. A test culture, <see cref="PseudoCulture"/>,
/// shows the English text between markers, so a page rendered in it shows any text that did not
/// come from here.
/// </summary>
public static class Texts
{
    public const string DefaultCulture = "en";

    /// <summary>Marks every text; used only by tests, and only where configured as a culture.</summary>
    public const string PseudoCulture = "qps-ploc";

    public const string PseudoStart = "\u27e6";
    public const string PseudoEnd = "\u27e7";

    private static readonly Lazy<FrozenDictionary<string, FrozenDictionary<string, string>>> Files = new(Load);

    /// <summary>The languages people can be written to in: those with a translation file, in order.</summary>
    public static IEnumerable<string> Languages => Files.Value.Keys.Order(StringComparer.Ordinal);

    /// <summary>The reader's language when the portal writes in it, otherwise English.</summary>
    public static string CurrentLanguage => Known(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? DefaultCulture;

    /// <summary>
    /// The language a customer most likely reads, from their domain: a country domain whose code
    /// is a language the portal speaks (".it", ".nl"), otherwise <paramref name="fallback"/>.
    /// </summary>
    public static string GuessLanguage(string domain, string fallback)
    {
        var topLevel = domain[(domain.LastIndexOf('.') + 1)..].ToLowerInvariant();
        return (topLevel != DefaultCulture ? Known(topLevel) : null) ?? Known(fallback) ?? DefaultCulture;
    }

    /// <summary>The culture's name when it has a translation file, otherwise null.</summary>
    public static string? Known(string culture) => Files.Value.ContainsKey(culture) ? culture : null;

    /// <summary>A language's own name, such as "Italiano".</summary>
    public static string NativeName(string culture)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        return char.ToUpper(info.NativeName[0], info) + info.NativeName[1..];
    }

    /// <summary>Every key and its text in <paramref name="culture"/>'s own file (for tests and tools).</summary>
    public static IReadOnlyDictionary<string, string> All(string culture) =>
        Files.Value.TryGetValue(culture, out var texts) ? texts : FrozenDictionary<string, string>.Empty;

    /// <summary>The text for <paramref name="key"/> in the current UI culture; the key itself when no language has it.</summary>
    public static string Get(string key) => Find(key, CultureInfo.CurrentUICulture) ?? key;

    /// <summary>The text with its placeholders ({0}, {1} …) filled in, numbers and dates written the culture's way.</summary>
    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    internal static string? Find(string key, CultureInfo culture)
    {
        if (string.Equals(culture.Name, PseudoCulture, StringComparison.OrdinalIgnoreCase))
        {
            return Find(key, CultureInfo.GetCultureInfo(DefaultCulture)) is { } english ? PseudoStart + english + PseudoEnd : null;
        }

        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            if (Files.Value.TryGetValue(current.Name, out var texts) && texts.TryGetValue(key, out var text))
            {
                return text;
            }
        }

        return Files.Value.TryGetValue(DefaultCulture, out var fallback) && fallback.TryGetValue(key, out var english2) ? english2 : null;
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        const string prefix = "SmartAccountPortal.Resources.texts.";
        var assembly = typeof(Texts).Assembly;
        var languages = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            var culture = name[prefix.Length..^".json".Length];
            using var stream = assembly.GetManifestResourceStream(name)!;
            var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
            languages[culture] = texts.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return languages.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
