namespace SmartChain.Node;

/// <summary>
/// Bytes shared by many holders under one cap: what every client session's reply queue holds together. Lock-free, so
/// execution and the ledger loop never wait to enqueue a reply.
/// </summary>
internal sealed class ByteBudget(long capacity)
{
    private long _used;

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

    /// <summary>Gives back what <see cref="TryTake"/> took.</summary>
    public void Give(int bytes) => Interlocked.Add(ref _used, -bytes);
}
