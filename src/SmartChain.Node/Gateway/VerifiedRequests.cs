using System.Collections.Concurrent;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Gateway;

/// <summary>
/// The requests this replica has checked (signature, chain id, the application's CheckTx), by digest (over the exact
/// bytes, signature included), so each is checked once per replica: the client gateway's receive tasks and the
/// consensus thread (a request inside a PROPOSE or FORWARD it does not hold yet) share it from any thread. A digest
/// being checked on one thread is not checked again on another that asks meanwhile (a follower's copy from the
/// client and the leader's PROPOSE often arrive together): that one waits for the answer, normally one check's time,
/// and checks the request itself if the answer takes longer than a millisecond (the checking thread descheduled).
/// Accepted digests are kept, refused ones forgotten (asked again, they are checked again, as before). Kept in two
/// generations of at most half <c>capacity</c> digests each: when the newer fills, the older is dropped, so a digest
/// stays known for at least half <c>capacity</c> further digests (minutes at saturation, long after its decision),
/// where one table cleared when full forgot every request at once, those still in flight too.
/// </summary>
internal sealed class VerifiedRequests(Func<SignedRequest, TxCheck> check, int capacity, TimeSpan? patience = null)
{
    // How long a caller waits for another thread's check of the same digest before it checks the request itself. One
    // check takes some tens of µs; a longer wait means the checking thread was descheduled on a busy machine, and the
    // consensus thread (which asks for a PROPOSE's requests) must not stall behind it.
    private readonly TimeSpan _patience = patience ?? TimeSpan.FromMilliseconds(1);

    private readonly int _generationSize = Math.Max(1, capacity / 2);
    private readonly object _rotation = new();
    private ConcurrentDictionary<Hash256, Entry> _current = new();
    private ConcurrentDictionary<Hash256, Entry> _previous = new();
    private int _currentCount;

    /// <summary>
    /// Tests only: runs on a caller's thread as it starts waiting for a check another thread is making of the same
    /// digest, so a test knows the caller is waiting (an event to wait for, not a counter to poll).
    /// </summary>
    internal Action? StartedWaitingForTests { get; set; }

    /// <summary>The check of <paramref name="request"/>: made now, or the one made (or being made) of the same bytes.</summary>
    public TxCheck Verify(SignedRequest request)
    {
        Hash256 digest = request.Digest;
        ConcurrentDictionary<Hash256, Entry> current = Volatile.Read(ref _current);
        if (!current.TryGetValue(digest, out Entry? entry) && !Volatile.Read(ref _previous).TryGetValue(digest, out entry))
        {
            var mine = new Entry();
            entry = current.GetOrAdd(digest, mine);
            if (ReferenceEquals(entry, mine))
            {
                return CheckNow(current, digest, mine, request);
            }
        }

        return entry.IsDone ? entry.Result : Await(entry, request);
    }

    private TxCheck CheckNow(ConcurrentDictionary<Hash256, Entry> table, Hash256 digest, Entry entry, SignedRequest request)
    {
        TxCheck result;
        try
        {
            result = check(request);
        }
        catch
        {
            table.TryRemove(new KeyValuePair<Hash256, Entry>(digest, entry));
            entry.Complete(TxCheck.Refuse(0, "the check failed"));
            throw;
        }

        if (!result.Accepted)
        {
            table.TryRemove(new KeyValuePair<Hash256, Entry>(digest, entry));
        }
        else
        {
            _ = table.TryUpdate(digest, Entry.Accepted, entry); // threads already waiting hold this entry; it completes below
            if (Interlocked.Increment(ref _currentCount) >= _generationSize && ReferenceEquals(table, Volatile.Read(ref _current)))
            {
                Rotate(table);
            }
        }

        entry.Complete(result);
        return result;
    }

    private void Rotate(ConcurrentDictionary<Hash256, Entry> full)
    {
        lock (_rotation)
        {
            if (ReferenceEquals(full, _current))
            {
                Volatile.Write(ref _previous, full);
                Volatile.Write(ref _current, new ConcurrentDictionary<Hash256, Entry>());
                Volatile.Write(ref _currentCount, 0);
            }
        }
    }

    private TxCheck Await(Entry entry, SignedRequest request)
    {
        StartedWaitingForTests?.Invoke();
        if (entry.Wait(_patience, out TxCheck result))
        {
            return result;
        }

        return check(request); // the other thread's answer is late: check it here (it records the digest itself)
    }

    // One digest's check: made by the thread that added the entry, awaited by any other that finds it unfinished.
    private sealed class Entry
    {
        /// <summary>Every accepted digest's entry once its check is done: the table keeps no object per request.</summary>
        public static readonly Entry Accepted = Done(TxCheck.Ok);

        private TxCheck _result;
        private volatile bool _done;

        public bool IsDone => _done;

        public TxCheck Result => _result;

        public void Complete(TxCheck result)
        {
            lock (this)
            {
                _result = result;
                _done = true;
                Monitor.PulseAll(this);
            }
        }

        private static Entry Done(TxCheck result)
        {
            var entry = new Entry();
            entry.Complete(result);
            return entry;
        }

        public bool Wait(TimeSpan patience, out TxCheck result)
        {
            lock (this)
            {
                long deadline = Environment.TickCount64 + (long)Math.Ceiling(patience.TotalMilliseconds);
                while (!_done)
                {
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0 || !Monitor.Wait(this, (int)Math.Min(left, int.MaxValue)))
                    {
                        if (!_done)
                        {
                            result = default;
                            return false;
                        }
                    }
                }

                result = _result;
                return true;
            }
        }
    }
}
