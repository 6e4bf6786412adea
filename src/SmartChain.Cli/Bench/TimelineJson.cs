using System.Text.Json;
using SmartChain.Load;

namespace SmartChain.Cli.Bench;

/// <summary>A load's warm start and timeline in JSON, as the benchmark's points and the demo write them.</summary>
internal static class TimelineJson
{
    /// <summary>
    /// The run's warm start and its timeline (seconds since the streams started, transactions accepted so far), which the
    /// demo's JSON carries too.
    /// </summary>
    public static void Write(Utf8JsonWriter w, LoadResult result)
    {
        if (WarmStart.Of(result.Timeline) is { } warm)
        {
            w.WriteStartObject("warmStart");
            w.WriteNumber("steadyTxPerSecond", Math.Round(warm.SteadyTxPerSecond, 1));
            w.WriteNumber("firstSecondTxPerSecond", Math.Round(warm.FirstSecondTxPerSecond, 1));
            if (warm.ReachedAt is { } at)
            {
                w.WriteNumber("secondsTo80PercentOfSteady", Math.Round(at.TotalSeconds, 2));
            }
            else
            {
                w.WriteNull("secondsTo80PercentOfSteady");
            }

            w.WriteEndObject();
        }

        w.WriteStartArray("timeline");
        foreach (TimelineSample sample in result.Timeline)
        {
            w.WriteStartArray();
            w.WriteNumberValue(Math.Round(sample.Elapsed.TotalSeconds, 3));
            w.WriteNumberValue(sample.Accepted);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
