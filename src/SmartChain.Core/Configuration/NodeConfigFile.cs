namespace SmartChain.Core.Configuration;

/// <summary>node.json as people write it; relative paths are relative to the file's folder.</summary>
internal sealed class NodeConfigFile
{
    public int? ReplicaId { get; set; }

    public string? Genesis { get; set; }

    public string? Listen { get; set; }

    public string? ClientListen { get; set; }

    public string? DataDir { get; set; }

    public string? KeyFile { get; set; }

    public string? KeyChain { get; set; }
}
