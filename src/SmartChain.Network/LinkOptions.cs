namespace SmartChain.Network;

/// <summary>Limits and timeouts of a link.</summary>
public sealed record LinkOptions
{
    /// <summary>
    /// Largest frame payload accepted. A frame announcing more is refused before its bytes are read. The default
    /// holds the largest batch a genesis allows plus room for a decision proof.
    /// </summary>
    public int MaxFrameBytes { get; init; } = Core.Limits.MaxBatchBytes + (1024 * 1024);

    /// <summary>Time allowed for the whole handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Defaults.</summary>
    public static LinkOptions Default { get; } = new();
}
