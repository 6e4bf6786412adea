using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartChain.Testbed;

/// <summary>
/// Everything a testbed created, kept in <c>netns.json</c> in its folder so that <c>down</c> from another process (or
/// after a crash) removes exactly that. Written before each namespace is made, so a failed <c>up</c> is undone too.
/// </summary>
internal sealed record TestbedState
{
    public const string FileName = "netns.json";

    public required string Prefix { get; init; }

    public required string Subnet { get; init; }

    public required string MacPrefix { get; init; }

    public required List<TestbedHost> Hosts { get; init; }

    /// <summary>Namespaces created (or about to be), the bridge's first; down removes each that exists.</summary>
    public required List<string> Namespaces { get; init; }

    public List<TestbedProcess> Processes { get; init; } = [];

    public required NetworkShape Shape { get; set; }

    public required IReadOnlyList<string> SmartChainCommand { get; init; }

    public bool Down { get; set; }

    public string BridgeNamespace => Namespaces[0];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static TestbedState Load(string folder)
    {
        string path = PathIn(folder);
        if (!File.Exists(path))
        {
            throw new TestbedException($"{folder} holds no namespace testbed (no {FileName})");
        }

        try
        {
            return JsonSerializer.Deserialize<TestbedState>(File.ReadAllText(path), Json) ?? throw new TestbedException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new TestbedException($"{path} is not a testbed state file: {e.Message}", e);
        }
    }

    /// <summary>Writes the state atomically (temp file, fsync, rename): a crash leaves the old or the new state.</summary>
    public void Save(string folder) => AtomicFile.Write(PathIn(folder), JsonSerializer.Serialize(this, Json));
}
