using System.Collections.Concurrent;
using System.Diagnostics;
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
/// and checks the request itself if the answer takes longer than a millisecond (the checking thread descheduled) or
/// if that check threw: an exception is its caller's, never turned into an answer for others.
/// Accepted digests are kept, refused ones forgotten (asked again, they are checked again, as before). Kept in two
/// generations of at most half <c>capacity</c> digests each: when the newer fills, the older is dropped, so a digest
/// stays known for at least half <c>capacity</c> further digests (minutes at saturation, long after its decision),
/// where one table cleared when full forgot every request at once, those still in flight too.
/// </summary>
internal sealed class VerifiedRequests(Func<SignedRequest, TxCheck> check, int capacity, TimeSpan? patience = null)
{
    // How long a caller waits for another thread's check of the same digest before it checks the request itself. One
    // check takes some tens of µs; a longer wait means the checking thread was descheduled on a busy machine, and the
    // consensus thread (which asks for a PROPOSE's requests) must not stall behind it. Measured with Stopwatch: the
    // millisecond tick count (Environment.TickCount64) reads the coarse monotonic clock on Linux, in 4 ms steps here,
    // so a waiter re-armed 1 ms waits until that clock stepped: up to about 5 ms instead of 1.
    private readonly TimeSpan _patience = patience ?? TimeSpan.FromMilliseconds(1);

    private readonly int _generationSize = Math.Max(1, capacity / 2);
    private readonly object _rotation = new();
    private ConcurrentDictionary<Hash256, Entry> _current = new();
    private ConcurrentDictionary<Hash256, Entry> _previous = new();
    private int _currentCount;

    /// <summary>
    /// Tests only: runs on a caller's thread as it starts waiting for a check another thread is making of the same
    /// digest, so a test knows the caller is waiting (an event to wait for, not a counter to poll). Without it a test
    /// cannot tell a caller that waited from one that came after the first check ended, which never waits.
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

        return entry.TryGetResult(out TxCheck result) ? result : Await(entry, request);
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
            // The exception is this caller's. Threads waiting on the entry check the request themselves (they would
            // have, alone): the failure is not an answer, and the request may well be valid.
            table.TryRemove(new KeyValuePair<Hash256, Entry>(digest, entry));
            entry.Fail();
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

        // The other thread's answer is late (it records the digest itself when it comes) or its check threw: check here.
        return check(request);
    }

    // One digest's check: made by the thread that added the entry, awaited by any other that finds it unfinished.
    private sealed class Entry
    {
        /// <summary>Every accepted digest's entry once its check is done: the table keeps no object per request.</summary>
        public static readonly Entry Accepted = Done(TxCheck.Ok);

        private TxCheck _result;
        private bool _failed;
        private volatile bool _done;

        /// <summary>The check's answer, once it is done and did not throw.</summary>
        public bool TryGetResult(out TxCheck result)
        {
            if (_done && !_failed) // _done first: its volatile read orders the reads of what was written before it
            {
                result = _result;
                return true;
            }

            result = default;
            return false;
        }

        public void Complete(TxCheck result)
        {
            lock (this)
            {
                _result = result;
                _done = true;
                Monitor.PulseAll(this);
            }
        }

        /// <summary>The check threw: there is no answer, and waiters stop waiting for one.</summary>
        public void Fail()
        {
            lock (this)
            {
                _failed = true;
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

        /// <summary>The answer, if the check ends with one within <paramref name="patience"/>; false if it is late or threw.</summary>
        public bool Wait(TimeSpan patience, out TxCheck result)
        {
            long started = Stopwatch.GetTimestamp();
            lock (this)
            {
                while (!_done)
                {
                    // Rounded up: Monitor.Wait takes whole milliseconds, and 0 would not wait at all.
                    double left = (patience - Stopwatch.GetElapsedTime(started)).TotalMilliseconds;
                    if (left <= 0 || !Monitor.Wait(this, (int)Math.Ceiling(Math.Min(left, int.MaxValue))))
                    {
                        if (!_done)
                        {
                            result = default;
                            return false;
                        }
                    }
                }

                result = _result;
                return !_failed;
            }
        }
    }
}
