namespace SmartChain.Node.Api;

/// <summary>
/// A replica's progress as the API reports it. <paramref name="Height"/> is the last durable block,
/// <paramref name="CertifiedHeight"/> the end of the certified prefix, <paramref name="Executed"/> the last executed
/// consensus instance; <paramref name="PeersConnected"/> of <paramref name="Peers"/> other members are linked.
/// </summary>
public sealed record NodeStatus(int ReplicaId, string ChainId, long ViewId, int N, int F, int Q, int Regency, int Leader, long Height,
    long CertifiedHeight, long Executed, int PeersConnected, int Peers, bool Member, bool StateTransfer)
{
    /// <summary>
    /// Null if the replica is ready to serve: a member of its view, linked to enough members to make a quorum with
    /// itself (Q − 1 peers), not in state transfer, and not behind (its certified prefix at most
    /// <see cref="ReadyLagBlocks"/> blocks behind its durable head). Otherwise why not.
    /// </summary>
    public string? NotReady =>
        !Member ? $"replica {ReplicaId} is not a member of view {ViewId}"
        : PeersConnected < Q - 1 ? $"linked to {PeersConnected} of {Peers} peers; a quorum needs {Q - 1}"
        : StateTransfer ? "state transfer is running (the replica is catching up)"
        : Height - CertifiedHeight > ReadyLagBlocks ? $"certified height {CertifiedHeight} is {Height - CertifiedHeight} blocks behind height {Height}"
        : null;

    /// <summary>How far the certified prefix may trail the durable head before the replica counts as behind.</summary>
    public const long ReadyLagBlocks = 64;
}
