using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus;

/// <summary>Votes and proposal of the one open consensus instance.</summary>
internal sealed class InstanceState(long id)
{
    public long Id { get; } = id;

    public Propose? Proposal { get; set; }

    public Hash256 ProposalHash { get; set; }

    /// <summary>Signed WRITEs by sender (the first one counts), kept for write certificates; a peer's WRITE for a batch that already has Q is not kept.</summary>
    public Dictionary<int, Write> Writes { get; } = [];

    public Dictionary<int, Accept> Accepts { get; } = [];

    /// <summary>What this replica sent, for retransmission.</summary>
    public Propose? MyPropose { get; set; }

    public Write? MyWrite { get; set; }

    public Accept? MyAccept { get; set; }

    /// <summary>The batch hash this replica voted for in this instance before a restart: it votes for no other.</summary>
    public Hash256? Locked { get; set; }

    /// <summary>The batch this replica proposed before a restart, proposed again as it was.</summary>
    public IReadOnlyList<SmartChain.Core.Requests.SignedRequest>? LockedBatch { get; set; }

    public int CountWrites(Hash256 hash)
    {
        int n = 0;
        foreach (Write write in Writes.Values)
        {
            if (write.BatchHash == hash)
            {
                n++;
            }
        }

        return n;
    }

    public int CountAccepts(Hash256 hash)
    {
        int n = 0;
        foreach (Accept accept in Accepts.Values)
        {
            if (accept.BatchHash == hash)
            {
                n++;
            }
        }

        return n;
    }

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
