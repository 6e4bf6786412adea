using System.Globalization;
using System.Text;
using System.Text.Json;
using SmartChain.Load;

namespace SmartChain.Cli.Bench;

/// <summary>
/// A run's latency tail (<see cref="LatencyTail"/>) in the benchmark's outputs: a line on the console, an object in
/// bench.json, and every measured request in a CSV, so the slow ones can be placed on the run's timeline.
/// </summary>
internal static class TailReport
{
    /// <summary>How many of the slowest requests bench.json explains.</summary>
    public const int Slowest = 20;

    /// <summary>"over 100 ms: 12 (0.1%), over 500 ms: 3, max 812 ms".</summary>
    public static string Line(LoadResult result)
    {
        LatencyTail tail = LatencyTail.Of(result.Requests, 1);
        double share = tail.Requests == 0 ? 0 : 100.0 * tail.Over(100) / tail.Requests;
        return string.Create(CultureInfo.InvariantCulture,
            $"over 100 ms {tail.Over(100):#,0} ({share:0.00}%)  over 500 ms {tail.Over(500):#,0}  max {result.MaxMs:0} ms");
    }

    /// <summary>The tail object of a bench.json point: bucket counts and the slowest requests, times in milliseconds.</summary>
    public static void WriteJson(Utf8JsonWriter w, LoadResult result)
    {
        LatencyTail tail = LatencyTail.Of(result.Requests, Slowest);
        w.WriteStartObject("tail");
        w.WriteNumber("requests", tail.Requests);
        w.WriteNumber("over100Ms", tail.Over(100));
        w.WriteNumber("over500Ms", tail.Over(500));
        w.WriteNumber("maxMs", Math.Round(result.MaxMs, 1));
        w.WriteStartArray("histogramMs");
        foreach ((double upTo, long count) in tail.Buckets)
        {
            w.WriteStartArray();
            if (double.IsPositiveInfinity(upTo))
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteNumberValue(upTo);
            }

            w.WriteNumberValue(count);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartArray("slowest");
        foreach (SlowRequest slow in tail.Slowest)
        {
            w.WriteStartObject();
            w.WriteNumber("stream", slow.Trace.Stream);
            w.WriteNumber("slotS", Math.Round(slow.Trace.Slot / 1e6, 4));
            w.WriteNumber("latencyMs", Ms(slow.Trace.Latency));
            w.WriteNumber("waitedForStreamMs", Ms(slow.WaitedForStream));
            w.WriteNumber("waitedToBeOrderedMs", Ms(slow.WaitedToBeOrdered));
            w.WriteNumber("blockTimeMs", Ms(slow.BlockTime));
            w.WriteNumber("replyLagMs", Ms(slow.ReplyLag));
            w.WriteNumber("block", slow.Trace.Block);
            w.WriteNumber("instance", slow.Trace.Instance);
            w.WriteNumber("blockRequests", slow.BlockRequests);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes every measured request of <paramref name="result"/> to <paramref name="path"/> (µs since the streams started).</summary>
    public static void WriteCsv(string path, LoadResult result)
    {
        var csv = new StringBuilder("stream,slot_us,sent_us,done_us,latency_us,block,instance\n");
        foreach (RequestTrace t in result.Requests)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{t.Stream},{t.Slot},{t.Sent},{t.Done},{t.Latency},{t.Block},{t.Instance}\n");
        }

        File.WriteAllText(path, csv.ToString());
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 1);
}
