using Serilog.Core;
using Serilog.Events;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Keeps secrets out of every log line. At the source: ASP.NET Core's hosting logger puts the
/// full request path into the scope of every line logged during a request, and an activation
/// path is a token; that logger is switched off whatever the configuration says, which removes
/// the scope for every provider. As a second line, every string a Serilog event carries (its
/// properties, scopes included, and so its rendered message) has secret-bearing addresses
/// replaced by their shape.
/// </summary>
internal static class LogRedaction
{
    /// <summary>The category whose scope carries <c>RequestPath</c>; "None" also means no scope is made.</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Added after every other rule, so configuration cannot switch it back on; and once per
    /// provider that has rules of its own (Serilog adds one that lets everything through to its
    /// own levels), since a provider's own rule beats any rule for all providers.
    /// </summary>
    public static void SilenceHostingScope(LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        foreach (var provider in providers)
        {
            options.Rules.Add(new LoggerFilterRule(provider, HostingDiagnostics, LogLevel.None, filter: null));
        }
    }
}

/// <summary>
/// Switching the hosting logger off also stops ASP.NET Core from starting a request activity for
/// it; listening to the hosting activity source starts one again, so every request still has a
/// trace id, which log lines carry and the error page shows as the reference to quote.
/// </summary>
internal static class RequestActivities
{
    private static readonly System.Diagnostics.ActivityListener Listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
    };

    private static int started;

    /// <summary>Once per process; the listener is global to it.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            System.Diagnostics.ActivitySource.AddActivityListener(Listener);
        }
    }
}

/// <summary>Replaces secret-bearing addresses in every string property of a log event.</summary>
internal sealed class RedactSecretsEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Redact(value) is { } redacted)
            {
                (replaced ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with secrets hidden, or null when it holds none.</summary>
    private static LogEventPropertyValue? Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var redacted = SecretPaths.RedactText(text);
                return string.Equals(redacted, text, StringComparison.Ordinal) ? null : new ScalarValue(redacted);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(e => Redact(e) ?? e).ToList();
                return elements.SequenceEqual(sequence.Elements) ? null : new SequenceValue(elements);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Redact(p.Value) is { } r ? new LogEventProperty(p.Name, r) : p).ToList();
                return properties.SequenceEqual(structure.Properties) ? null : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, Redact(e.Value) ?? e.Value)).ToList();
                return entries.Select(e => e.Value).SequenceEqual(dictionary.Elements.Select(e => e.Value)) ? null : new DictionaryValue(entries);
            default:
                return null;
        }
    }
}
