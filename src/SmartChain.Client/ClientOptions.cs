using SmartChain.Network;

namespace SmartChain.Client;

/// <summary>Client timeouts and link settings.</summary>
public sealed record ClientOptions
{
    /// <summary>How long to wait for Q matching replies to a request or query.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for connections to the replicas.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often to retry a replica whose link is down (one that was down at connect time, restarted, or dropped the
    /// link); doubled after each failure, up to 30 s.
    /// </summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Client endpoints (host:port) of replicas to learn the current view from before connecting, for a network whose
    /// genesis members may have left; whatever they answer is verified from the genesis view. Empty: start from genesis.
    /// </summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>Link limits.</summary>
    public LinkOptions Link { get; init; } = LinkOptions.Default;

    /// <summary>Defaults.</summary>
    public static ClientOptions Default { get; } = new();
}
