namespace SmartChain.Node.Ordering;

/// <summary>
/// Whether a leader that could propose now waits a little for a fuller batch. A batch is what the pool holds when the
/// previous instance is decided, so a leader that proposes at once after a short instance proposes a small batch, whose
/// instance is short again: under a steady load below saturation the batches shrink (36–44 requests per block paced at
/// 80%, against 70–76 closed loop) and every transaction pays more of the per-instance work (votes, signatures, vote-log
/// and block fsyncs, frames), until the replicas are saturated at 80% of their closed-loop rate. So while the pool holds
/// fewer than three quarters of the last batch, the leader waits, at most <see cref="Patience"/>, for it to fill. A
/// leader under light load (last batch 1) never waits; a pool that fills releases the proposal at once.
/// </summary>
internal sealed class ProposalPatience(TimeProvider time, int maxBatch)
{
    /// <summary>The longest a proposal waits for its batch to fill.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(4);

    private int _lastBatch;
    private long _waitingSince = -1;

    /// <summary>
    /// True to keep the proposal held, false to release it now. <paramref name="couldPropose"/>: the core, as leader,
    /// would propose a fresh batch of <paramref name="pooled"/> pooled requests if released.
    /// </summary>
    public bool Wait(bool couldPropose, int pooled)
    {
        if (!couldPropose)
        {
            _waitingSince = -1;
            return false;
        }

        if (pooled * 4L >= _lastBatch * 3L)
        {
            return Release(pooled);
        }

        long now = time.GetTimestamp();
        if (_waitingSince < 0)
        {
            _waitingSince = now;
            return true;
        }

        return time.GetElapsedTime(_waitingSince, now) < Patience || Release(pooled);
    }

    private bool Release(int pooled)
    {
        _lastBatch = Math.Min(pooled, maxBatch);
        _waitingSince = -1;
        return false;
    }
}
