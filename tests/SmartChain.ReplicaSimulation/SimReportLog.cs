using Microsoft.Extensions.Logging;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The log of one replica under simulation, keeping only what a corrupted read must show up in: warnings and worse,
/// and the storage and state-transfer lines (recovery reports a skipped snapshot there). Everything else is not even
/// formatted, so the simulation pays nothing for the replica's routine logging. Evidence against a replica (two
/// conflicting votes or block signatures) goes to <see cref="OnEvidence"/> with the accused replica's id.
/// </summary>
internal sealed class SimReportLog : ILoggerFactory, ILogger
{
    // NodeLog's event ids of the storage lines (torn tails, damage) and the state-transfer lines (skipped snapshots).
    private const int StorageEvent = 13;
    private const int TransferEvent = 16;

    // NodeLog.Evidence (conflicting consensus votes) and NodeLog.BlockEvidence (conflicting block signatures).
    private const int EvidenceEvent = 6;
    private const int BlockEvidenceEvent = 11;

    /// <summary>What was kept, oldest first.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>Called with the accused replica and the line for every piece of evidence this replica logs.</summary>
    public Action<int, string>? OnEvidence { get; init; }

    /// <summary>Called with every line kept, as it is kept (the run's report checks).</summary>
    public Action<string>? OnKept { get; set; }

    /// <summary>Where every line also goes (SMARTCHAIN_SIM_LOG=1: stderr in virtual time, <see cref="SimLog"/>).</summary>
    public ILogger? Echo { get; init; }

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
        Echo?.Log(logLevel, eventId, state, exception, formatter);
        if (logLevel >= LogLevel.Warning || eventId.Id is StorageEvent or TransferEvent)
        {
            string line = formatter(state, exception);
            Lines.Add(line);
            OnKept?.Invoke(line);
            if (eventId.Id is EvidenceEvent or BlockEvidenceEvent && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (KeyValuePair<string, object?> field in fields)
                {
                    if (field is { Key: "From", Value: int from })
                    {
                        OnEvidence?.Invoke(from, line);
                    }
                }
            }
        }
    }
}
