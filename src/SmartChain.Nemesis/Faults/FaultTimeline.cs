using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SmartChain.Nemesis.Faults;

/// <summary>The fault timeline of a run as JSON lines: <c>{"t":12000,"phase":"start","id":3,"kind":"kill","description":"kill -9 replica 2"}</c>.</summary>
public sealed class FaultTimeline : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter? _file;
    private readonly List<FaultEvent> _events = [];

    /// <summary>A timeline written to <paramref name="path"/> as it grows (null: in memory only).</summary>
    public FaultTimeline(string? path)
    {
        _file = path is null ? null : new StreamWriter(path, append: false) { AutoFlush = true };
    }

    /// <summary>A copy of the events so far.</summary>
    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Appends <paramref name="e"/>.</summary>
    public void Add(FaultEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string line = Format(e);
        lock (_lock)
        {
            _events.Add(e);
            _file?.WriteLine(line);
        }
    }

    /// <summary>One event as a JSON line.</summary>
    public static string Format(FaultEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("t", Math.Round(e.TimeMs, 1));
            json.WriteString("phase", e.Phase);
            json.WriteNumber("id", e.Id);
            json.WriteString("kind", e.Kind);
            json.WriteString("description", e.Description);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a timeline file.</summary>
    /// <exception cref="InvalidDataException">A line that is not a fault event, with its number.</exception>
    public static IReadOnlyList<FaultEvent> Read(string path)
    {
        var events = new List<FaultEvent>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                double time = root.GetProperty("t").GetDouble();
                if (History.HistoryRecord.TimeProblem(time) is { } late)
                {
                    throw new InvalidDataException($"{path}, line {number.ToString(CultureInfo.InvariantCulture)}: \"t\": {late}");
                }

                events.Add(new FaultEvent(time, root.GetProperty("phase").GetString() ?? "", root.GetProperty("kind").GetString() ?? "",
                    root.GetProperty("description").GetString() ?? "")
                {
                    Id = root.TryGetProperty("id", out JsonElement id) ? id.GetInt32() : 0,
                });
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}, line {number.ToString(CultureInfo.InvariantCulture)}: {e.Message}", e);
            }
        }

        return events;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
        }
    }
}
