using SmartChain.Consensus;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>Work for the execution loop, in order: decided batches, queries, and answers to repeated requests.</summary>
internal abstract record ExecutionItem
{
    public sealed record Decided(Decision Decision) : ExecutionItem;

    public sealed record Query(QueryMessage Message, SecureLink Link) : ExecutionItem;

    public sealed record Repeated(SignedRequest Request, SecureLink Link) : ExecutionItem;
}
