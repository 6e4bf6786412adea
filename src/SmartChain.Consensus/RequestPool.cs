using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// Verified requests waiting to be ordered: bounded in total and per client, deduplicated per (client, sequence),
/// and drawn fairly, one request per client per round, starting from a client that rotates after every batch.
/// Requests enter only after their signature was verified (by the driver, on worker threads), and only if their
/// not-before lets them be ordered in the next instance (<see cref="ClientTable.InWindow(long, long, long)"/>); a
/// request whose window passes while it waits is dropped when a batch reaches it.
/// </summary>
public sealed class RequestPool
{
    private readonly Dictionary<Ed25519PublicKey, SortedDictionary<ulong, SignedRequest>> _byClient = [];
    private readonly LinkedList<Ed25519PublicKey> _rotation = new();
    private readonly Dictionary<Ed25519PublicKey, LinkedListNode<Ed25519PublicKey>> _rotationNodes = [];
    private readonly int _capacity;
    private readonly int _perClient;
    private readonly long _window;

    /// <summary>
    /// Creates a pool holding at most <paramref name="capacity"/> requests, <paramref name="perClient"/> per client, for
    /// instances whose requests must name a not-before at most <paramref name="window"/> instances back.
    /// </summary>
    public RequestPool(int capacity, int perClient, long window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClient, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _capacity = capacity;
        _perClient = perClient;
        _window = window;
    }

    /// <summary>Pending requests.</summary>
    public int Count { get; private set; }

    /// <summary>The instance the next batch is for (the pool admits and selects requests valid in it).</summary>
    public long NextInstance { get; private set; } = 1;

    /// <summary>Everything before <paramref name="instance"/> is decided: batches are selected for it from now on.</summary>
    public void Open(long instance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instance, 1);
        NextInstance = instance;
    }

    /// <summary>Offers a verified request.</summary>
    public PoolAddResult Add(SignedRequest request, ClientTable decided)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decided);
        if (decided.IsDecided(request.Client, request.Sequence))
        {
            return PoolAddResult.AlreadyDecided;
        }

        if (!ClientTable.InWindow(request.NotBefore, NextInstance, _window))
        {
            return PoolAddResult.OutsideWindow;
        }

        if (_byClient.TryGetValue(request.Client, out SortedDictionary<ulong, SignedRequest>? pending))
        {
            if (pending.TryGetValue(request.Sequence, out SignedRequest? existing))
            {
                return existing.Digest == request.Digest ? PoolAddResult.AlreadyPending : PoolAddResult.ConflictingSequence;
            }

            if (pending.Count >= _perClient)
            {
                return PoolAddResult.ClientFull;
            }
        }

        if (Count >= _capacity)
        {
            return PoolAddResult.PoolFull;
        }

        if (pending is null)
        {
            pending = [];
            _byClient.Add(request.Client, pending);
            _rotationNodes.Add(request.Client, _rotation.AddLast(request.Client));
        }

        pending.Add(request.Sequence, request);
        Count++;
        return PoolAddResult.Added;
    }

    /// <summary>True if this exact request (same digest) is pending.</summary>
    public bool ContainsSame(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _byClient.TryGetValue(request.Client, out SortedDictionary<ulong, SignedRequest>? pending) &&
               pending.TryGetValue(request.Sequence, out SignedRequest? existing) &&
               existing.Digest == request.Digest;
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> requests and <paramref name="maxBytes"/> bytes valid in <see cref="NextInstance"/>:
    /// each round takes every client's lowest pending sequence, so a client's requests stay in order and no client crowds
    /// out the others. Requests whose window has passed are dropped on the way (they can never be ordered).
    /// </summary>
    public List<SignedRequest> SelectBatch(int maxCount, int maxBytes)
    {
        var batch = new List<SignedRequest>(Math.Min(maxCount, Count));
        var cursors = new List<SortedDictionary<ulong, SignedRequest>.ValueCollection.Enumerator>(_rotation.Count);
        foreach (Ed25519PublicKey client in _rotation)
        {
            cursors.Add(_byClient[client].Values.GetEnumerator());
        }

        List<SignedRequest>? expired = null;
        int bytes = 0;
        bool progress = true;
        bool full = false;
        while (progress && !full && batch.Count < maxCount)
        {
            progress = false;
            for (int c = 0; c < cursors.Count && batch.Count < maxCount; c++)
            {
                var cursor = cursors[c];
                if (!cursor.MoveNext())
                {
                    continue;
                }

                cursors[c] = cursor;
                progress = true;
                SignedRequest request = cursor.Current;
                if (!ClientTable.InWindow(request.NotBefore, NextInstance, _window))
                {
                    if (NextInstance - request.NotBefore > _window)
                    {
                        (expired ??= []).Add(request);
                    }

                    continue;
                }

                if (bytes + request.Size > maxBytes)
                {
                    full = true;
                    break;
                }

                batch.Add(request);
                bytes += request.Size;
            }
        }

        if (expired is not null)
        {
            foreach (SignedRequest request in expired)
            {
                Remove(request);
            }
        }

        return Rotate(batch);
    }

    /// <summary>Drops every pending request of the batch's clients that is now decided or superseded.</summary>
    public void RemoveDecided(IReadOnlyList<SignedRequest> batch, ClientTable decided)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(decided);
        foreach (SignedRequest request in batch)
        {
            if (!_byClient.TryGetValue(request.Client, out SortedDictionary<ulong, SignedRequest>? pending))
            {
                continue;
            }

            ulong highest = decided.HighestDecided(request.Client);
            while (pending.Count > 0 && LowestSequence(pending) is var lowest && lowest <= highest)
            {
                pending.Remove(lowest);
                Count--;
            }

            if (pending.Count == 0)
            {
                _byClient.Remove(request.Client);
                _rotation.Remove(_rotationNodes[request.Client]);
                _rotationNodes.Remove(request.Client);
            }
        }
    }

    /// <summary>Drops every pending request (a replica that is no longer a member orders nothing).</summary>
    public void Clear()
    {
        _byClient.Clear();
        _rotation.Clear();
        _rotationNodes.Clear();
        Count = 0;
    }

    /// <summary>Drops every pending request that <paramref name="decided"/> says is decided (after a snapshot was installed).</summary>
    public void RemoveAllDecided(ClientTable decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var stale = new List<SignedRequest>();
        foreach (SortedDictionary<ulong, SignedRequest> pending in _byClient.Values)
        {
            foreach (SignedRequest request in pending.Values)
            {
                if (decided.IsDecided(request.Client, request.Sequence))
                {
                    stale.Add(request);
                    break;
                }
            }
        }

        RemoveDecided(stale, decided);
    }

    private void Remove(SignedRequest request)
    {
        SortedDictionary<ulong, SignedRequest> pending = _byClient[request.Client];
        pending.Remove(request.Sequence);
        Count--;
        if (pending.Count == 0)
        {
            _byClient.Remove(request.Client);
            _rotation.Remove(_rotationNodes[request.Client]);
            _rotationNodes.Remove(request.Client);
        }
    }

    private static ulong LowestSequence(SortedDictionary<ulong, SignedRequest> pending)
    {
        using SortedDictionary<ulong, SignedRequest>.KeyCollection.Enumerator keys = pending.Keys.GetEnumerator();
        keys.MoveNext();
        return keys.Current;
    }

    private List<SignedRequest> Rotate(List<SignedRequest> batch)
    {
        if (_rotation.First is { } first && _rotation.Count > 1)
        {
            _rotation.RemoveFirst();
            _rotation.AddLast(first);
        }

        return batch;
    }
}
