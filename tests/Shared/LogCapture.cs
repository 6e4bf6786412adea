using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SmartChain.Tests.Shared;

/// <summary>A logger factory that keeps every line, so tests can assert on what a replica logged and why.</summary>
internal sealed class LogCapture : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every line so far, as "category: message".</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Lines containing <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Containing(string text) => [.. _lines.Where(l => l.Contains(text, StringComparison.Ordinal))];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
