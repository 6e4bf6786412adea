using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus;

/// <summary>Votes and proposal of the one open consensus instance.</summary>
internal sealed class InstanceState(long id)
{
    public long Id { get; } = id;

    public Propose? Proposal { get; set; }

    public Hash256 ProposalHash { get; set; }

    public Dictionary<int, Hash256> Writes { get; } = [];

    public Dictionary<int, Accept> Accepts { get; } = [];

    /// <summary>What this replica sent, for retransmission.</summary>
    public Propose? MyPropose { get; set; }

    public Write? MyWrite { get; set; }

    public Accept? MyAccept { get; set; }

    /// <summary>The batch hash this replica voted for in this instance before a restart: it votes for no other.</summary>
    public Hash256? Locked { get; set; }

    /// <summary>The batch this replica proposed before a restart, proposed again as it was.</summary>
    public IReadOnlyList<SmartChain.Core.Requests.SignedRequest>? LockedBatch { get; set; }

    public int CountWrites(Hash256 hash) => Count(Writes.Values, hash);

    public static int Count(IEnumerable<Hash256> votes, Hash256 hash)
    {
        int n = 0;
        foreach (Hash256 vote in votes)
        {
            if (vote == hash)
            {
                n++;
            }
        }

        return n;
    }
}
