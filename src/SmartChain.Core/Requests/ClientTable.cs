using SmartChain.Core.Crypto;

namespace SmartChain.Core.Requests;

/// <summary>
/// Replicated replay protection: per client key, the highest sequence decided so far and the instance that last
/// decided one of its requests. A request is fresh in instance <c>i</c> if its sequence is above its client's highest
/// and its not-before lies in the window <c>i − W ≤ notBefore &lt; i</c>. A row is forgotten once its last instance
/// <c>t</c> is more than W behind (<c>t &lt; i − W</c>): every request still inside a window then has
/// <c>notBefore ≥ i − W &gt; t</c>, while every request of that client ordered up to <c>t</c> (fresh or a repeat: both
/// set <c>t</c>) had <c>notBefore &lt; t</c>, so none of them can ever be fresh again and at-most-once holds without the row. The table therefore holds at most the keys with a
/// request decided in the last W instances, whoever proposed them (docs/coin.md "The client table").
/// Updated only by decisions, in decision order and as a function of (batch, instance) alone, so every correct replica
/// holds the same table; a snapshot keeps each row's last instance, so expiry continues the same after a restore.
/// </summary>
public sealed class ClientTable
{
    private readonly Dictionary<Ed25519PublicKey, (ulong Sequence, long LastInstance)> _rows = [];

    // Rows in the order their last instance was set: expiry looks at the front only. A row set again later is also
    // queued again; the stale queue item is skipped when it reaches the front (its instance no longer matches).
    private readonly Queue<(long Instance, Ed25519PublicKey Client)> _byAge = new();

    /// <summary>A table whose requests must name an instance at most <paramref name="window"/> instances back.</summary>
    public ClientTable(long window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
    }

    /// <summary>W: how many instances a request stays valid after its not-before, and a row after its last decision.</summary>
    public long Window { get; }

    /// <summary>Clients held.</summary>
    public int Count => _rows.Count;

    /// <summary>True if a request naming <paramref name="notBefore"/> may be ordered in <paramref name="instance"/>.</summary>
    public static bool InWindow(long notBefore, long instance, long window) =>
        notBefore >= 0 && notBefore < instance && instance - notBefore <= window;

    /// <summary>True if <paramref name="request"/> may be ordered in <paramref name="instance"/> as far as its not-before goes.</summary>
    public bool InWindow(SignedRequest request, long instance)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InWindow(request.NotBefore, instance, Window);
    }

    /// <summary>True if this client's <paramref name="sequence"/> (or a higher one) was decided and its row is still held.</summary>
    public bool IsDecided(Ed25519PublicKey client, ulong sequence) =>
        _rows.TryGetValue(client, out var row) && sequence <= row.Sequence;

    /// <summary>Highest decided sequence of <paramref name="client"/>, or 0 (never decided, or forgotten).</summary>
    public ulong HighestDecided(Ed25519PublicKey client) => _rows.TryGetValue(client, out var row) ? row.Sequence : 0;

    /// <summary>Every row (for snapshots; unordered).</summary>
    public IEnumerable<ClientEntry> Entries
    {
        get
        {
            foreach ((Ed25519PublicKey client, (ulong sequence, long last)) in _rows)
            {
                yield return new ClientEntry(client, sequence, last);
            }
        }
    }

    /// <summary>Replaces the whole table (a snapshot restored or installed by state transfer).</summary>
    public void Reset(IEnumerable<ClientEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _rows.Clear();
        _byAge.Clear();
        ClientEntry[] sorted = [.. entries];
        Array.Sort(sorted, static (a, b) => a.LastInstance.CompareTo(b.LastInstance));
        foreach (ClientEntry entry in sorted)
        {
            _rows[entry.Client] = (entry.Sequence, entry.LastInstance);
            _byAge.Enqueue((entry.LastInstance, entry.Client));
        }
    }

    /// <summary>
    /// The rows, copied into an array of their exact count: what a snapshot records, taken at a checkpoint and encoded
    /// in the background. Not <see cref="Clone"/>: the expiry queue holds an item per request ordered in the last W
    /// instances (hundreds of thousands under load), and copying it at every checkpoint paused execution for the large
    /// arrays it grew through, while a snapshot needs only the rows (one per client).
    /// </summary>
    public ClientEntry[] CaptureEntries()
    {
        var entries = new ClientEntry[_rows.Count];
        int i = 0;
        foreach ((Ed25519PublicKey client, (ulong sequence, long last)) in _rows)
        {
            entries[i++] = new ClientEntry(client, sequence, last);
        }

        return entries;
    }

    /// <summary>A copy of the whole table, expiry order included.</summary>
    public ClientTable Clone()
    {
        var copy = new ClientTable(Window);
        foreach ((Ed25519PublicKey client, var row) in _rows)
        {
            copy._rows[client] = row;
        }

        foreach (var item in _byAge)
        {
            copy._byAge.Enqueue(item);
        }

        return copy;
    }

    /// <summary>
    /// Applies the batch decided in <paramref name="instance"/>: first forgets the rows that expire there, then marks
    /// which requests are fresh (to execute): sequence above the client's highest, not-before inside the window. A
    /// request ordered but not fresh (a repeated sequence) still counts as its client's latest ordering, so the row
    /// outlives the window of every request ever ordered, fresh or not: an ordered request's outcome is final.
    /// Instances must be recorded in increasing order.
    /// </summary>
    public bool[] Record(IReadOnlyList<SignedRequest> batch, long instance)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Expire(instance);
        var fresh = new bool[batch.Count];
        for (int j = 0; j < batch.Count; j++)
        {
            SignedRequest request = batch[j];
            bool held = _rows.TryGetValue(request.Client, out var row);
            if (InWindow(request.NotBefore, instance, Window) && (!held || request.Sequence > row.Sequence))
            {
                _rows[request.Client] = (request.Sequence, instance);
                _byAge.Enqueue((instance, request.Client));
                fresh[j] = true;
            }
            else if (held && request.NotBefore < instance && row.LastInstance != instance)
            {
                // A request naming an instance ahead of its own cannot be decided by a correct quorum (proposals are
                // checked against the window), so only requests below are remembered through their client's row.
                _rows[request.Client] = (row.Sequence, instance);
                _byAge.Enqueue((instance, request.Client));
            }
        }

        return fresh;
    }

    /// <summary>Forgets every row whose last instance is more than <see cref="Window"/> before <paramref name="instance"/>.</summary>
    public void Expire(long instance)
    {
        long oldestKept = instance - Window;
        while (_byAge.TryPeek(out var oldest) && oldest.Instance < oldestKept)
        {
            _byAge.Dequeue();
            if (_rows.TryGetValue(oldest.Client, out var row) && row.LastInstance == oldest.Instance)
            {
                _rows.Remove(oldest.Client);
            }
        }
    }
}
