namespace SmartChain.Node.Ordering;

/// <summary>
/// Whether a leader that could propose now waits a little for a fuller batch. A batch is what the pool holds when the
/// previous instance is decided, so a leader that proposes at once after a short instance proposes a small batch, whose
/// instance is short again: under load the batches shrink (36–44 requests per block paced at 80%, against 70–76 closed
/// loop) and every transaction pays more of the per-instance work (votes, signatures, vote-log and block fsyncs,
/// frames), until the replicas saturate below the rate they reach with full batches. So while the pool holds fewer than
/// three quarters of the last batch, the leader waits for it to fill, but never longer than
/// <see cref="MaxPatience"/> nor than half the time the last proposal took to be ordered, from its release to its
/// decision (a fast deployment's 1 ms instances wait at most 0.5 ms), counted from that decision (after an idle spell
/// a request goes at once), and no longer once <see cref="Lull"/> passes with no request arriving (nothing is coming: a
/// wait would be pure delay). A leader under light load (last batch 1) never waits; a pool that fills
/// releases the proposal at once. The driver looks again when told to (a timer), or at its next input.
/// </summary>
internal sealed class ProposalPatience(TimeProvider time, int maxBatch)
{
    /// <summary>The longest a proposal waits for its batch to fill.</summary>
    public static readonly TimeSpan MaxPatience = TimeSpan.FromMilliseconds(4);

    /// <summary>A wait ends when no request has arrived for this long.</summary>
    public static readonly TimeSpan Lull = TimeSpan.FromMilliseconds(2);

    private int _lastBatch;
    private long _waitingSince = -1;
    private long _lastArrival;
    private int _pooledAtLastLook;
    private long _proposedAt = -1;
    private long _proposedInstance;
    private long _decidedAt = -1;
    private TimeSpan _patience = MaxPatience; // until a proposal has been timed

    /// <summary>The longest the next wait may take: half the last proposal's ordering time, at most <see cref="MaxPatience"/>.</summary>
    public TimeSpan Patience => _patience;

    /// <summary>
    /// True to keep the proposal held and look again within <paramref name="lookAgainIn"/>; false to release it now.
    /// <paramref name="couldPropose"/>: the core, as leader, would propose a fresh batch of <paramref name="pooled"/>
    /// pooled requests if released; <paramref name="lastDecided"/>: the newest instance it has decided. Asked whenever the
    /// driver acts, so it also sees when the proposal it released last is decided.
    /// </summary>
    public bool Hold(bool couldPropose, int pooled, long lastDecided, out TimeSpan lookAgainIn)
    {
        lookAgainIn = TimeSpan.Zero;
        long now = time.GetTimestamp();
        if (_proposedAt >= 0 && lastDecided >= _proposedInstance)
        {
            TimeSpan ordering = time.GetElapsedTime(_proposedAt, now);
            _patience = ordering / 2 < MaxPatience ? ordering / 2 : MaxPatience;
            _proposedAt = -1;
            _decidedAt = now;
        }

        if (!couldPropose)
        {
            _waitingSince = -1;
            return false;
        }

        if (pooled * 4L >= _lastBatch * 3L)
        {
            return Release(pooled, lastDecided, now);
        }

        if (_waitingSince < 0)
        {
            // The wait counts from the decision that let this leader propose again: a pool that stayed short for longer
            // than the patience (an idle spell, light load) has no burst on its way, and is not waited for.
            _waitingSince = _decidedAt >= 0 ? _decidedAt : now;
            _lastArrival = now;
            _pooledAtLastLook = pooled;
        }
        else if (pooled > _pooledAtLastLook)
        {
            _lastArrival = now;
            _pooledAtLastLook = pooled;
        }

        TimeSpan patienceLeft = _patience - time.GetElapsedTime(_waitingSince, now);
        TimeSpan lullLeft = Lull - time.GetElapsedTime(_lastArrival, now);
        if (patienceLeft <= TimeSpan.Zero || lullLeft <= TimeSpan.Zero)
        {
            return Release(pooled, lastDecided, now);
        }

        lookAgainIn = patienceLeft < lullLeft ? patienceLeft : lullLeft;
        return true;
    }

    private bool Release(int pooled, long lastDecided, long now)
    {
        _lastBatch = Math.Min(pooled, maxBatch);
        _waitingSince = -1;
        _proposedAt = now;
        _proposedInstance = lastDecided + 1; // one instance is open at a time: the proposal is for the next
        _decidedAt = -1;
        return false;
    }
}
