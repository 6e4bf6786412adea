using System.Text.Json;
using SmartChain.Load;

namespace SmartChain.Cli.Netns;

/// <summary>The one JSON line <c>netns load</c> prints, so a runner outside the namespace can read the result.</summary>
internal sealed record LoadJson(int Streams, long Transactions, double MeasuredSeconds, double TxPerSecond, double P50Ms, double P99Ms, double P999Ms,
    double MaxMs, long Errors)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static LoadJson From(LoadResult r) =>
        new(r.Streams, r.Transactions, r.Measured.TotalSeconds, r.TxPerSecond, r.P50Ms, r.P99Ms, r.P999Ms, r.MaxMs, r.Errors);

    public string Serialize() => JsonSerializer.Serialize(this, Options);

    /// <summary>The last line of <paramref name="output"/> that is a load result.</summary>
    public static LoadJson Parse(string output)
    {
        foreach (string line in output.Split('\n').Reverse())
        {
            if (line.TrimStart().StartsWith('{'))
            {
                return JsonSerializer.Deserialize<LoadJson>(line, Options) ?? throw new CliException("empty load result");
            }
        }

        throw new CliException($"no load result in: {output.Trim()}");
    }
}
