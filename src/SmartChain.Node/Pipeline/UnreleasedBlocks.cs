using SmartChain.Core.Crypto;
using SmartChain.Network.Client;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// The blocks whose replies wait for their release condition, oldest first. Owned by the ledger loop.
/// </summary>
internal sealed class UnreleasedBlocks
{
    private readonly Queue<LedgerInput.Persist> _blocks = new();
    private LedgerInput.Persist? _newest;

    public int Count => _blocks.Count;

    public void Hold(LedgerInput.Persist persist)
    {
        _blocks.Enqueue(persist);
        _newest = persist;
    }

    public bool TryPeek([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LedgerInput.Persist? oldest) => _blocks.TryPeek(out oldest);

    public LedgerInput.Persist Dequeue() => _blocks.Dequeue();

    /// <summary>
    /// Where a request repeated before its answer is released waits (null: nothing is unreleased, answer it now). When
    /// an unreleased block holds its reply, that block at the reply's index: the answer then carries the same receipt
    /// as every first answer, so a client whose copies reached most replicas only after the decision (a link still
    /// connecting) still gets one reply it can accept alone. Otherwise the newest block, index -1: answered from the
    /// reply cache once every earlier block is released.
    /// </summary>
    public (LedgerInput.Persist Block, int Index)? PlaceRepeated(Hash256 digest)
    {
        if (_newest is null || _blocks.Count == 0)
        {
            return null;
        }

        foreach (LedgerInput.Persist block in _blocks)
        {
            ReplyMessage?[] replies = block.Replies;
            for (int i = 0; i < replies.Length; i++)
            {
                if (replies[i] is { } reply && reply.Digest == digest)
                {
                    return (block, i);
                }
            }
        }

        return (_newest, -1);
    }
}
