using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// Replicated replay protection: per client key, the highest sequence decided so far. A request at or below it is a
/// duplicate. Updated only by decisions, in decision order, so every correct replica holds the same table.
/// </summary>
public sealed class ClientTable
{
    private readonly Dictionary<Ed25519PublicKey, ulong> _highest = [];

    /// <summary>Clients seen.</summary>
    public int Count => _highest.Count;

    /// <summary>True if this client's <paramref name="sequence"/> (or a higher one) was already decided.</summary>
    public bool IsDecided(Ed25519PublicKey client, ulong sequence) =>
        _highest.TryGetValue(client, out ulong highest) && sequence <= highest;

    /// <summary>Highest decided sequence of <paramref name="client"/>, or 0.</summary>
    public ulong HighestDecided(Ed25519PublicKey client) => _highest.GetValueOrDefault(client);

    /// <summary>Every client with its highest decided sequence (for snapshots).</summary>
    public IEnumerable<KeyValuePair<Ed25519PublicKey, ulong>> Entries => _highest;

    /// <summary>Raises <paramref name="client"/>'s highest decided sequence to <paramref name="sequence"/> (restoring a snapshot).</summary>
    public void RecordSequence(Ed25519PublicKey client, ulong sequence)
    {
        if (sequence > _highest.GetValueOrDefault(client))
        {
            _highest[client] = sequence;
        }
    }

    /// <summary>Replaces the whole table (a snapshot installed by state transfer).</summary>
    public void Reset(IEnumerable<KeyValuePair<Ed25519PublicKey, ulong>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _highest.Clear();
        foreach ((Ed25519PublicKey client, ulong sequence) in entries)
        {
            _highest[client] = sequence;
        }
    }

    /// <summary>Applies a decided batch; returns which of its requests are fresh (to execute).</summary>
    public bool[] Record(IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fresh = new bool[batch.Count];
        for (int j = 0; j < batch.Count; j++)
        {
            SignedRequest request = batch[j];
            if (!IsDecided(request.Client, request.Sequence))
            {
                _highest[request.Client] = request.Sequence;
                fresh[j] = true;
            }
        }

        return fresh;
    }
}
