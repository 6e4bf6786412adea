namespace SmartChain.Node;

/// <summary>
/// Bytes shared by many holders under one cap: what every client session's reply queue holds together. Lock-free, so
/// execution and the ledger loop never wait to enqueue a reply. A holder within its fair share (the cap divided by
/// the holders) always gets its bytes, even when others have used up the cap, so no holder can starve the rest; the
/// total therefore stays below twice the cap.
/// </summary>
internal sealed class ByteBudget(long capacity)
{
    private long _used;
    private int _holders;

    /// <summary>A holder joins (a session opens).</summary>
    public void Join() => Interlocked.Increment(ref _holders);

    /// <summary>A holder leaves (a session closed).</summary>
    public void Leave() => Interlocked.Decrement(ref _holders);

    /// <summary>The cap divided by the holders now.</summary>
    public long FairShare => capacity / Math.Max(1, Volatile.Read(ref _holders));

    /// <summary>Takes <paramref name="bytes"/> for a holder that holds <paramref name="held"/> with them: under the cap, or within its fair share.</summary>
    public bool TryTake(int bytes, long held)
    {
        if (TryTake(bytes))
        {
            return true;
        }

        if (held > FairShare)
        {
            return false;
        }

        Interlocked.Add(ref _used, bytes);
        return true;
    }

    /// <summary>Bytes taken now.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/> if they fit under the cap.</summary>
    public bool TryTake(int bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= capacity)
        {
            return true;
        }

        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    /// <summary>Gives back what <see cref="TryTake(int)"/> or <see cref="TryTake(int, long)"/> took.</summary>
    public void Give(int bytes) => Interlocked.Add(ref _used, -bytes);
}
