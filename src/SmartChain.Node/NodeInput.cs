using SmartChain.Consensus.Messages;
using SmartChain.Core.Requests;

namespace SmartChain.Node;

/// <summary>One input of the consensus loop; the loop handles them one at a time, in arrival order.</summary>
internal abstract record NodeInput
{
    public sealed record PeerMessage(int From, ConsensusMessage Message) : NodeInput;

    public sealed record ClientRequest(SignedRequest Request, ClientSession Session) : NodeInput;

    public sealed record Tick : NodeInput;
}
