using System.Text.Json;
using SmartChain.Core.IO;
using SmartChain.Core.Json;

namespace SmartChain.Core.Configuration;

/// <summary>
/// A replica's home configuration (node.json): which replica it is, the genesis it belongs to, where it listens
/// for replicas and clients, its data folder, its identity key file and its per-view key chain. Paths are stored relative
/// to the home folder so a testnet folder can be moved as a whole.
/// </summary>
public sealed record NodeConfig(int ReplicaId, string Genesis, string Listen, string ClientListen, string DataDir, string KeyFile)
{
    /// <summary>File name of the config inside a replica's home folder.</summary>
    public const string FileName = "node.json";

    /// <summary>
    /// The replica's forward-secure key chain (its per-view signing keys); null for a replica whose only view key is its
    /// identity key (genesis without view keys, tests).
    /// </summary>
    public string? KeyChain { get; init; }

    /// <summary>Writes the config to <paramref name="path"/> and fsyncs it.</summary>
    public void Save(string path)
    {
        var file = new NodeConfigFile
        {
            ReplicaId = ReplicaId,
            Genesis = Genesis,
            Listen = Listen,
            ClientListen = ClientListen,
            DataDir = DataDir,
            KeyFile = KeyFile,
            KeyChain = KeyChain,
        };
        DurableFile.WriteNew(path, JsonSerializer.SerializeToUtf8Bytes(file, CoreJsonContext.Default.NodeConfigFile));
    }

    /// <summary>Loads node.json; relative paths in the result are resolved against its folder.</summary>
    /// <exception cref="InvalidDataException">Missing, not JSON, or a field is missing or malformed (named in the message).</exception>
    public static NodeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NodeConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), CoreJsonContext.Default.NodeConfigFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read node config {path}: {e.Message}", e);
        }

        string home = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new NodeConfig(
            file?.ReplicaId is >= 0 and var id ? id : throw Missing(path, "replicaId", "a replica id >= 0"),
            Resolve(home, file.Genesis, path, "genesis"),
            Endpoint(file.Listen, path, "listen"),
            Endpoint(file.ClientListen, path, "clientListen"),
            Resolve(home, file.DataDir, path, "dataDir"),
            Resolve(home, file.KeyFile, path, "keyFile"))
        {
            KeyChain = file.KeyChain is null ? null : Resolve(home, file.KeyChain, path, "keyChain"),
        };
    }

    private static string Resolve(string home, string? value, string path, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Missing(path, field, "a path") : Path.GetFullPath(value, home);

    private static string Endpoint(string? value, string path, string field)
    {
        int colon = value?.LastIndexOf(':') ?? -1;
        if (value is null || colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
        {
            throw Missing(path, field, "host:port");
        }

        return value;
    }

    private static InvalidDataException Missing(string path, string field, string expected) =>
        new($"{path}: {field}: missing or malformed (expected {expected})");
}
