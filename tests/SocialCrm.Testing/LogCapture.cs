using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Testing;

/// <summary>One log record as a node wrote it: its message, structured values, exception and scopes, all as text.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values, IReadOnlyList<KeyValuePair<string, string>> Scopes)
{
    /// <summary>Everything the record would put in a log sink.</summary>
    public IEnumerable<string> AllText() =>
        Values.Append(Message).Append(Category).Concat(Scopes.Select(s => s.Key + "=" + s.Value));
}

/// <summary>A logger provider that keeps every record of a node, with the scopes the logger factory gives it.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs) values.AddRange(pairs.Select(p => p.Key + "=" + p.Value));
            if (exception is not null) values.Add(exception.ToString());
            var scopes = new List<KeyValuePair<string, string>>();
            capture._scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> items)
                    list.AddRange(items.Select(i => new KeyValuePair<string, string>(i.Key, i.Value?.ToString() ?? "")));
                else if (scope is not null)
                    list.Add(new KeyValuePair<string, string>("", scope.ToString() ?? ""));
            }, scopes);
            capture.Records.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values, scopes));
        }
    }
}
