using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Node.Views;

/// <summary>
/// This replica's signing keys, by view: the key-chain leaf its identity commits to for that view, or the identity key
/// itself for a member whose chain is just that key (a genesis without view keys, tests). Erasing moves the chain past
/// the views this replica has left, in memory and on disk. Thread-safe (the chain locks).
/// </summary>
internal sealed class ViewSigner(int replicaId, Ed25519KeyPair identity, ViewKeyChain? chain) : IDisposable
{
    /// <summary>The replica whose keys these are.</summary>
    public int ReplicaId => replicaId;

    // The last commitment the chain file was found to match (read and written by the execution and ledger threads).
    private KeyChainCommitment? _matched;

    /// <summary>The key chain file, if the replica has one.</summary>
    public ViewKeyChain? Chain => chain;

    /// <summary>This replica's key of <paramref name="view"/>; null if it is not a member, or its key of that view is erased.</summary>
    /// <exception cref="InvalidOperationException">It is a member, but holds no key chain that matches its commitment.</exception>
    public Ed25519KeyPair? KeyFor(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.TryGetMember(replicaId, out ReplicaMember? me) || me is null)
        {
            return null;
        }

        if (me.ViewKey.Key == identity.PublicKey)
        {
            return identity;
        }

        if (chain is null)
        {
            throw new InvalidOperationException($"replica {replicaId} signs {view} with a key of its key chain, but its node.json names no keyChain file");
        }

        // The chain's public keys never change (erasing drops private keys only), so a commitment that matched once
        // matches for good: it is checked once, not per block signed (a Merkle tree over the whole chain each time).
        if (!me.Chain.Equals(Volatile.Read(ref _matched)))
        {
            if (KeyChainCommitment.Create(chain.PublicKeys, me.Chain.FirstView) != me.Chain)
            {
                throw new InvalidOperationException($"replica {replicaId}'s key chain file does not match the key chain its identity commits to in {view}");
            }

            Volatile.Write(ref _matched, me.Chain);
        }

        int index = me.Chain.IndexOf(view.Id)!.Value;
        return index < chain.Position ? null : chain.KeyAt(index);
    }

    /// <summary>Erases every key of views before <paramref name="view"/>, of which this replica is a member.</summary>
    public void EraseBefore(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (chain is not null && view.TryGetMember(replicaId, out ReplicaMember? me) && me!.Chain.IndexOf(view.Id) is int index)
        {
            chain.EraseBefore(index);
        }
    }

    /// <summary>Erases every key: this replica left the view for good.</summary>
    public void EraseAll() => chain?.EraseBefore(chain.Length);

    /// <inheritdoc />
    public void Dispose() => chain?.Dispose();
}
