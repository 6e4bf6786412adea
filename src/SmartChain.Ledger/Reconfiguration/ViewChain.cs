using SmartChain.Core.Views;

namespace SmartChain.Ledger.Reconfiguration;

/// <summary>
/// Follows views from one a verifier trusts to later ones, through receipts of the entries that installed them (SPEC §5,
/// §7): view v+1 is accepted only from a reconfiguration block certified by Q members of view v with their view-v keys.
/// Clients refresh their view this way, and a replica checks a peer's tip in a later view: one honest answer is enough,
/// since every step carries a quorum certificate.
/// </summary>
public static class ViewChain
{
    /// <summary>Most views one answer carries; a verifier further behind asks again from where it got to.</summary>
    public const int MaxProofs = 64;

    /// <summary>
    /// Null and the last view reached if each receipt proves the next view after <paramref name="start"/>; otherwise the
    /// reason the first bad one fails (<paramref name="reached"/> is then the last view proven). <paramref name="proven"/>
    /// hears each proof that held, with the view it proves (a verifier remembers them).
    /// </summary>
    public static string? Follow(View start, string chainId, IEnumerable<TransactionReceipt> proofs, out View reached,
        Action<TransactionReceipt, View>? proven = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(proofs);
        reached = start;
        foreach (TransactionReceipt proof in proofs)
        {
            if (Step(reached, chainId, proof, out View? next) is { } bad)
            {
                return bad;
            }

            proven?.Invoke(proof, next!);
            reached = next!;
        }

        return null;
    }

    /// <summary>Null and the view after <paramref name="current"/> if <paramref name="proof"/> proves it; otherwise why not.</summary>
    public static string? Step(View current, string chainId, TransactionReceipt proof, out View? next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(proof);
        next = null;
        if (!ReconfigurationBlock.Installs(proof.Header))
        {
            return $"block {proof.Header.Number} is not a reconfiguration block (its lastReconfig is {proof.Header.LastReconfig})";
        }

        if (proof.Verify(current, chainId) is { } bad)
        {
            return $"the proof of view {current.Id + 1}: {bad}";
        }

        var single = new Block(proof.Header, new BlockBody(0, [proof.Entry], [proof.Result], ReadOnlyMemory<byte>.Empty), proof.Certificate);
        return ReconfigurationBlock.ReadInstalledView(single, current, out next, out _);
    }
}
