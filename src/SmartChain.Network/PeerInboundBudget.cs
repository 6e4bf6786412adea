namespace SmartChain.Network;

/// <summary>
/// Bytes one peer has sent that the replica has not taken yet (received, queued for the consensus loop). Above the
/// budget the peer's receive loop waits, so TCP pushes back on that peer alone: a Byzantine peer can fill only its own
/// share, however large its frames, and its honest peers' frames keep flowing. The reader gives bytes back as it takes
/// each frame (<see cref="ReplicaNetwork.Release"/>).
/// </summary>
internal sealed class PeerInboundBudget(long budget) : IDisposable
{
    private readonly SemaphoreSlim _released = new(0);
    private long _queued;
    private int _waiting;

    /// <summary>Bytes received from this peer and not yet released.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Counts <paramref name="bytes"/> as queued, first waiting while the peer is over its budget.</summary>
    public async ValueTask TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        // One frame always gets through, whatever its size: only what is already queued can hold it back.
        while (Interlocked.Read(ref _queued) > 0 && Interlocked.Read(ref _queued) + bytes > budget)
        {
            Volatile.Write(ref _waiting, 1);
            if (Interlocked.Read(ref _queued) + bytes <= budget || Interlocked.Read(ref _queued) == 0)
            {
                break; // released between the check and the flag
            }

            await _released.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _waiting, 0);
        Interlocked.Add(ref _queued, bytes);
    }

    /// <summary>The reader took a frame of <paramref name="bytes"/>.</summary>
    public void Release(int bytes)
    {
        Interlocked.Add(ref _queued, -bytes);
        if (Volatile.Read(ref _waiting) == 1 && _released.CurrentCount == 0)
        {
            _released.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _released.Dispose();
}
