using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SmartChain.TestSupport;

/// <summary>A logger factory that keeps every line, so tests can assert on what a replica logged and why.</summary>
public sealed class LogCapture : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every line so far, as "category: message".</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Lines containing <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Containing(string text) => [.. _lines.Where(l => l.Contains(text, StringComparison.Ordinal))];

    /// <summary>Completes once a line containing <paramref name="text"/> has been logged.</summary>
    public async Task WaitForAsync(string text, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next = Volatile.Read(ref _logged).Task;
            if (Containing(text).Count > 0)
            {
                return;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    private void Add(string line)
    {
        _lines.Enqueue(line);
        Interlocked.Exchange(ref _logged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Add($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
