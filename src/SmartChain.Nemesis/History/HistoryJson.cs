using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SmartChain.Core.Crypto;

namespace SmartChain.Nemesis.History;

/// <summary>
/// The JSON-lines form of a history: one object per line, e.g.
/// <c>{"t":1234.5,"type":"ok","process":3,"kind":"spend","tx":"ab…","inputs":["…"],"created":["…"],"latencyMs":41.2,"block":17}</c>.
/// Written by hand (no reflection), so the file is the same on every machine and readable by jq.
/// </summary>
public static class HistoryJson
{
    /// <summary>One record as one line of JSON (no newline).</summary>
    public static string Format(HistoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("t", Math.Round(record.TimeMs, 3));
            json.WriteString("type", Name(record.Outcome));
            json.WriteNumber("process", record.Process);
            json.WriteString("kind", record.Kind == OperationKind.Mint ? "mint" : "spend");
            json.WriteString("tx", record.Transaction.ToString());
            WriteIds(json, "inputs", record.Inputs);
            WriteIds(json, "created", record.Created);
            if (record.LatencyMs is double latency)
            {
                json.WriteNumber("latencyMs", Math.Round(latency, 3));
            }

            if (record.Outcome == OperationOutcome.Fail)
            {
                json.WriteBoolean("ordered", record.Ordered);
            }

            if (record.Error is { } error)
            {
                json.WriteString("error", error);
            }

            if (record.Block is long block)
            {
                json.WriteNumber("block", block);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses one line.</summary>
    /// <exception cref="InvalidDataException">Not a history record; the message says which field is wrong.</exception>
    public static HistoryRecord Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("not a JSON object");
            }

            OperationOutcome outcome = Required(root, "type").GetString() switch
            {
                "invoke" => OperationOutcome.Invoke,
                "ok" => OperationOutcome.Ok,
                "fail" => OperationOutcome.Fail,
                "unknown" => OperationOutcome.Unknown,
                var other => throw new InvalidDataException($"\"type\": \"{other}\" is none of invoke, ok, fail, unknown"),
            };
            OperationKind kind = Required(root, "kind").GetString() switch
            {
                "mint" => OperationKind.Mint,
                "spend" => OperationKind.Spend,
                var other => throw new InvalidDataException($"\"kind\": \"{other}\" is neither mint nor spend"),
            };
            double time = Required(root, "t").GetDouble();
            if (HistoryRecord.TimeProblem(time) is { } late)
            {
                throw new InvalidDataException($"\"t\": {late}");
            }

            return new HistoryRecord(outcome, Required(root, "process").GetInt32(), kind, ParseHash(Required(root, "tx").GetString(), "tx"), time)
            {
                Inputs = Ids(root, "inputs"),
                Created = Ids(root, "created"),
                LatencyMs = root.TryGetProperty("latencyMs", out JsonElement latency) ? latency.GetDouble() : null,
                Ordered = root.TryGetProperty("ordered", out JsonElement ordered) && ordered.GetBoolean(),
                Error = root.TryGetProperty("error", out JsonElement error) ? error.GetString() : null,
                Block = root.TryGetProperty("block", out JsonElement block) ? block.GetInt64() : null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>Reads a whole history file; a bad line fails with its number.</summary>
    /// <exception cref="InvalidDataException">A line that is not a history record.</exception>
    public static IReadOnlyList<HistoryRecord> Read(string path)
    {
        var records = new List<HistoryRecord>();
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
                records.Add(Parse(line));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}, line {number.ToString(CultureInfo.InvariantCulture)}: {e.Message}", e);
            }
        }

        return records;
    }

    private static string Name(OperationOutcome outcome) => outcome switch
    {
        OperationOutcome.Invoke => "invoke",
        OperationOutcome.Ok => "ok",
        OperationOutcome.Fail => "fail",
        _ => "unknown",
    };

    private static void WriteIds(Utf8JsonWriter json, string name, IReadOnlyList<Hash256> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (Hash256 id in ids)
        {
            json.WriteStringValue(id.ToString());
        }

        json.WriteEndArray();
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) ? value : throw new InvalidDataException($"no \"{name}\"");

    private static Hash256[] Ids(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"\"{name}\" is not an array");
        }

        var ids = new Hash256[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            ids[i++] = ParseHash(item.GetString(), name);
        }

        return ids;
    }

    private static Hash256 ParseHash(string? hex, string field) =>
        Hash256.TryParse(hex, out Hash256 hash) ? hash : throw new InvalidDataException($"\"{field}\": \"{hex}\" is not a 64-digit hex hash");
}
