using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>
/// The unspent coins of each owner, sorted by id, with their total: what queries read, on any thread, while execution
/// goes on. Execution records its changes during a batch (<see cref="Add"/>, <see cref="Remove"/>: appended to a list,
/// nothing visible) and applies them all at <see cref="Publish"/>, in place, inside a write section: a sequence lock
/// whose counter is odd while the section runs and moves on at both of its ends. A reader takes the counter (waiting
/// while it is odd), reads, and keeps what it read only if the counter did not move meanwhile, else reads again; so a
/// reader sees one owner as it was after a whole batch, never half a batch, and execution never waits for a reader
/// (it takes no lock). A reader that batches overlap <see cref="OptimisticReads"/> times in a row also hands its read to
/// the writer, whose next <see cref="Publish"/> answers it (<see cref="StarvedOwnerRead"/>): without that, batches
/// coming faster than a page is copied would keep a reader retrying for as long as they came. Readers copy out what
/// they answer (a page, a count and total), so nothing they hold changes later. Before issue 16's second cut the index was a tree of immutable persistent trees, published by one reference
/// write: about 2 KB of copied tree paths and dictionary nodes per SPEND; this structure allocates only when an owner
/// appears or a chunk grows, splits or shrinks (<see cref="OwnerCoinList"/>).
/// </summary>
internal sealed class CoinOwnerIndex
{
    // Owners with at least one coin after the last Publish (an owner emptied by a batch leaves at its Publish). Read
    // without a lock by any thread; written only inside the write section.
    private readonly ConcurrentDictionary<Ed25519PublicKey, OwnerCoinList> _owners = new();

    // The batch's changes in order, applied at Publish (execution thread only; reused, so no allocation per change).
    private readonly List<Change> _pending = [];
    private readonly List<Ed25519PublicKey> _emptied = [];
    private long _version; // even: stable; odd: a write section is under way

    // Reads handed to the writer after OptimisticReads overlapped tries (any thread enqueues; Publish dequeues).
    private readonly ConcurrentQueue<StarvedOwnerRead> _starved = new();

    /// <summary>
    /// Tries a reader makes before it also hands its read to the writer (<see cref="StarvedOwnerRead"/>): a read
    /// retries only when a write section overlapped it, so a reader that needs more is one batches keep overlapping.
    /// </summary>
    internal const int OptimisticReads = 8;

    // Starved reads a Publish answers at most: what readers can add to a batch's publication is bounded (each costs
    // O(log n + a page)); a reader is answered within (starved readers ahead of it / this) publishes.
    private const int AnsweredPerPublish = 4;

    /// <summary>
    /// Tests only: runs on a reader's thread after each of its reads and before the read is checked, so a test can put
    /// a whole write section (a <see cref="Publish"/>) inside every read, deterministically.
    /// </summary>
    internal Action? AfterReadForTests { get; set; }

    private readonly record struct Change(Ed25519PublicKey Owner, Hash256 Id, ulong Value, bool Added);

    /// <summary>Records a new coin (execution thread); visible at the next <see cref="Publish"/>.</summary>
    public void Add(Ed25519PublicKey owner, Hash256 id, ulong value) => _pending.Add(new Change(owner, id, value, true));

    /// <summary>Forgets a spent coin (execution thread); an owner left without coins leaves the index at the next <see cref="Publish"/>.</summary>
    public void Remove(Ed25519PublicKey owner, Hash256 id, ulong value) => _pending.Add(new Change(owner, id, value, false));

    /// <summary>Replaces everything with <paramref name="coins"/> (a restored snapshot) and publishes it.</summary>
    public void Rebuild(IEnumerable<KeyValuePair<Hash256, CoinOutput>> coins)
    {
        // Each owner's coins sorted first, so the lists fill from the end (no entries moved, no chunk references moved).
        var byOwner = new Dictionary<Ed25519PublicKey, List<(Hash256 Id, ulong Value)>>();
        foreach ((Hash256 id, CoinOutput coin) in coins)
        {
            if (!byOwner.TryGetValue(coin.Owner, out List<(Hash256 Id, ulong Value)>? held))
            {
                byOwner[coin.Owner] = held = [];
            }

            held.Add((id, coin.Value));
        }

        _pending.Clear();
        BeginWrite();
        try
        {
            _owners.Clear();
            foreach ((Ed25519PublicKey owner, List<(Hash256 Id, ulong Value)> held) in byOwner)
            {
                held.Sort(static (a, b) => a.Id.CompareTo(b.Id));
                var list = new OwnerCoinList();
                foreach ((Hash256 id, ulong value) in held)
                {
                    list.Add(id, value);
                }

                _owners[owner] = list;
            }
        }
        finally
        {
            EndWrite();
        }
    }

    /// <summary>Applies the batch's changes and makes them what readers see (after a batch, on the execution thread).</summary>
    public void Publish()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        BeginWrite();
        try
        {
            foreach (Change change in _pending)
            {
                if (change.Added)
                {
                    if (!_owners.TryGetValue(change.Owner, out OwnerCoinList? list))
                    {
                        list = new OwnerCoinList();
                        _owners[change.Owner] = list;
                    }

                    list.Add(change.Id, change.Value);
                }
                else if (_owners.TryGetValue(change.Owner, out OwnerCoinList? list) && list.Remove(change.Id) && list.Count == 0)
                {
                    _emptied.Add(change.Owner); // it may receive a coin later in the batch: checked below
                }
            }

            foreach (Ed25519PublicKey owner in _emptied)
            {
                if (_owners.TryGetValue(owner, out OwnerCoinList? list) && list.Count == 0)
                {
                    _owners.TryRemove(owner, out _);
                }
            }
        }
        finally
        {
            _pending.Clear();
            _emptied.Clear();
            EndWrite();
        }

        AnswerStarved();
    }

    // Writer, just after a write section: it alone changes the lists, so it reads them as this batch left them.
    private void AnswerStarved()
    {
        int answered = 0;
        while (answered < AnsweredPerPublish && _starved.TryDequeue(out StarvedOwnerRead? read))
        {
            if (read.IsAbandoned)
            {
                continue; // one dequeue each, and each cost its reader OptimisticReads reads first
            }

            read.Answer(_owners.TryGetValue(read.Owner, out OwnerCoinList? list) ? list : null);
            answered++;
        }
    }

    /// <summary>True if <paramref name="owner"/> held a coin after the last published batch (any thread).</summary>
    public bool Owns(Ed25519PublicKey owner)
    {
        StarvedOwnerRead? starved = null;
        var backoff = new SpinWait();
        for (int tries = 1; ; tries++)
        {
            long version = BeginRead();
            bool owns = _owners.TryGetValue(owner, out OwnerCoinList? list) && list.Count > 0;
            AfterReadForTests?.Invoke();
            if (Validate(version))
            {
                starved?.Abandon();
                return owns;
            }

            if (Starved(ref starved, ref backoff, tries, owner, null, null))
            {
                return starved.Count > 0;
            }
        }
    }

    /// <summary>How many coins <paramref name="owner"/> holds and their total, after the last published batch (any thread).</summary>
    public (int Count, UInt128 Total) Balance(Ed25519PublicKey owner)
    {
        StarvedOwnerRead? starved = null;
        var backoff = new SpinWait();
        for (int tries = 1; ; tries++)
        {
            long version = BeginRead();
            (int Count, UInt128 Total) balance = _owners.TryGetValue(owner, out OwnerCoinList? list) ? (list.Count, list.Total) : (0, 0);
            AfterReadForTests?.Invoke();
            if (Validate(version))
            {
                starved?.Abandon();
                return balance;
            }

            if (Starved(ref starved, ref backoff, tries, owner, null, null))
            {
                return (starved.Count, starved.Total);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> of the published coins of <paramref name="owner"/> with ids above
    /// <paramref name="after"/> (all of them when null), in id order, and whether more follow. O(log n + max).
    /// </summary>
    public (List<(Hash256 Id, ulong Value)> Page, bool More) Page(Ed25519PublicKey owner, Hash256? after, int max)
    {
        var page = new List<(Hash256 Id, ulong Value)>();
        StarvedOwnerRead? starved = null;
        var backoff = new SpinWait();
        for (int tries = 1; ; tries++)
        {
            page.Clear();
            long version = BeginRead();
            bool more = false;
            bool whole = !_owners.TryGetValue(owner, out OwnerCoinList? list) || list.TryReadPage(after, max, page, out more);
            AfterReadForTests?.Invoke();
            if (Validate(version))
            {
                // A view no write overlapped is consistent: an inconsistent one here is a bug, not a race.
                starved?.Abandon();
                return whole ? (page, more) : throw new InvalidOperationException($"the owner index of {owner} is inconsistent");
            }

            if (Starved(ref starved, ref backoff, tries, owner, after, max))
            {
                return starved.Whole ? (starved.Page, starved.More) : throw new InvalidOperationException($"the owner index of {owner} is inconsistent");
            }
        }
    }

    // After a try a write overlapped: from the OptimisticReads-th on, the read is handed to the writer (once) and the
    // reader backs off between tries (it burns no core while it waits for the next batch); true once the writer
    // answered. Readers keep trying meanwhile, so a reader is answered even if no batch follows.
    private bool Starved([NotNullWhen(true)] ref StarvedOwnerRead? starved, ref SpinWait backoff, int tries, Ed25519PublicKey owner, Hash256? after, int? max)
    {
        if (starved is null)
        {
            if (tries < OptimisticReads)
            {
                return false;
            }

            starved = new StarvedOwnerRead(owner, after, max);
            _starved.Enqueue(starved);
        }

        if (starved.IsAnswered)
        {
            return true;
        }

        backoff.SpinOnce(); // yields, then sleeps: the answer comes with the next batch
        return starved.IsAnswered;
    }

    private void BeginWrite()
    {
        // Full fences: the odd counter is visible before any change, and every change before the even one.
        Interlocked.Increment(ref _version);
    }

    private void EndWrite() => Interlocked.Increment(ref _version);

    private long BeginRead()
    {
        var spin = new SpinWait();
        long version;
        while (((version = Volatile.Read(ref _version)) & 1) != 0)
        {
            spin.SpinOnce(); // a write section applies one batch's changes: microseconds
        }

        return version;
    }

    private bool Validate(long version)
    {
        Interlocked.MemoryBarrier(); // the reads above complete before the counter is read again
        return Volatile.Read(ref _version) == version;
    }
}
