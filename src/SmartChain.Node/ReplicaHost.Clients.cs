using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// The host's side of the client gateway (<see cref="Gateway.ClientGateway"/>, which owns the client sessions): what
/// the consensus core and the tests ask of it.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>Requests this replica will answer once executed (bounded by <see cref="ClientBudget.MaxPendingReplies"/>).</summary>
    internal int PendingReplies => _gateway.Replies.Count;

    /// <summary>Raised once a client session has closed and its waiting requests are forgotten (tests await it).</summary>
    internal event Action? ClientSessionClosed
    {
        add => _gateway.SessionClosed += value;
        remove => _gateway.SessionClosed -= value;
    }

    // A query's answer with the replica's progress, from the snapshots the consensus and execution loops publish.
    private QueryResultMessage Describe(QueryMessage query, byte[] body)
    {
        Execution.ExecutionStatus execution = _executor.Status;
        Ordering.ConsensusStatus consensus = _driver.Status;
        return new(query.QueryId, execution.Executed, _network.ConnectedPeers, body)
        {
            BlockHeight = execution.Head.Number,
            Leader = consensus.Leader,
            Regency = consensus.Regency,
            ViewId = execution.View.Id,
        };
    }
}
