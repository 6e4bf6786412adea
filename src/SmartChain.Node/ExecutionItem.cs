using SmartChain.Consensus;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>Work for the execution loop, in order: decided batches, queries, and answers to repeated requests.</summary>
internal abstract record ExecutionItem
{
    public sealed record Decided(Decision Decision) : ExecutionItem;

    public sealed record Query(QueryMessage Message, ClientSession Session) : ExecutionItem;

    public sealed record Repeated(SignedRequest Request, ClientSession Session) : ExecutionItem;

    /// <summary>A request the pool would not take (full, or another request holds its sequence).</summary>
    public sealed record Refused(SignedRequest Request, ClientSession Session, string Reason) : ExecutionItem;
}
