using Microsoft.Extensions.Logging;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The log of one replica under simulation, keeping only what a corrupted read must show up in: warnings and worse,
/// and the storage and state-transfer lines (recovery reports a skipped snapshot there). Everything else is not even
/// formatted, so the simulation pays nothing for the replica's routine logging.
/// </summary>
internal sealed class SimReportLog : ILoggerFactory, ILogger
{
    // NodeLog's event ids of the storage lines (torn tails, damage) and the state-transfer lines (skipped snapshots).
    private const int StorageEvent = 13;
    private const int TransferEvent = 16;

    /// <summary>What was kept, oldest first.</summary>
    public List<string> Lines { get; } = [];

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Warning || eventId.Id is StorageEvent or TransferEvent)
        {
            Lines.Add(formatter(state, exception));
        }
    }
}
