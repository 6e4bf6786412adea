namespace SmartChain.Nemesis.History;

/// <summary>
/// Appends history records to a JSON-lines file as they happen, from any number of client tasks, and keeps them in
/// memory for the plot. Lines are flushed at once, so a run that dies still leaves its history up to that moment.
/// </summary>
public sealed class HistoryWriter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _file;
    private readonly List<HistoryRecord> _records = [];
    private readonly Func<double> _nowMs;

    /// <summary>
    /// Creates (or replaces) <paramref name="path"/>; <paramref name="nowMs"/> tells the milliseconds since the run
    /// started (the fault scheduler and the clients run in different processes and share the run's start time).
    /// </summary>
    public HistoryWriter(string path, Func<double> nowMs)
    {
        _nowMs = nowMs;
        _file = new StreamWriter(path, append: false) { AutoFlush = true };
    }

    /// <summary>Milliseconds since the run started.</summary>
    public double NowMs => _nowMs();

    /// <summary>A copy of every record so far.</summary>
    public IReadOnlyList<HistoryRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Appends <paramref name="record"/>.</summary>
    public void Add(HistoryRecord record)
    {
        string line = HistoryJson.Format(record);
        lock (_lock)
        {
            _records.Add(record);
            _file.WriteLine(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}
