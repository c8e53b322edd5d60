using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// Every log line the portal writes, rendered with its scopes (as a structured sink would write
/// them), for tests that check what is (not) logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider? scopes;

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            owner.scopes?.ForEachScope(
                (scope, builder) =>
                {
                    builder.Append(" [scope ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                    {
                        foreach (var (key, value) in values)
                        {
                            builder.Append(' ').Append(key).Append('=').Append(value);
                        }
                    }

                    builder.Append(']');
                },
                line);
            owner.lines.Enqueue(line.ToString());
        }
    }
}
