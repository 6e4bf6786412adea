namespace SmartChain.Api.Models;

/// <summary>
/// A replica's status. <c>height</c> and <c>certifiedHeight</c> are the replica's own (durable head, end of the certified
/// prefix); <c>apiHeight</c> and <c>apiCertifiedHeight</c> are what the API serves (read back from the ledger, a moment
/// behind). <c>notReady</c> is null when <c>ready</c>, else the reason (see docs/api.md for the rule).
/// </summary>
public sealed record StatusResponse(int ReplicaId, string ChainId, long ViewId, int N, int F, int Q, int Regency, int Leader, long Height,
    long CertifiedHeight, long Executed, int PeersConnected, int Peers, bool Member, bool StateTransfer, bool Ready, string? NotReady,
    long ApiHeight, long ApiCertifiedHeight);
