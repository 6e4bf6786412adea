using System.Diagnostics;
using System.IO.Pipelines;

namespace SmartChain.Network;

/// <summary>
/// The receive side's clock of one link: one timer, re-armed (not re-created) per frame, that cancels the pending
/// read when the link has been idle too long or a frame takes too long to arrive. A cancel that races with a
/// re-arm is told apart by <see cref="Expired"/>, which compares against the deadline itself.
/// </summary>
internal sealed class ReceiveDeadline : IDisposable
{
    private readonly PipeReader _reader;
    private readonly Timer _timer;
    private long _deadline = long.MaxValue;

    public ReceiveDeadline(PipeReader reader)
    {
        _reader = reader;
        _timer = new Timer(static state => ((ReceiveDeadline)state!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// True once the armed deadline has passed. The timer counts in coarser units than the deadline and may fire a
    /// little early; then it is set again for the rest, so an early cancel never leaves the deadline unwatched.
    /// </summary>
    public bool Expired
    {
        get
        {
            long deadline = Volatile.Read(ref _deadline);
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return true;
            }

            if (deadline != long.MaxValue)
            {
                _timer.Change(TimeSpan.FromSeconds((double)(deadline - now) / Stopwatch.Frequency) + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
            }

            return false;
        }
    }

    /// <summary>Arms the deadline <paramref name="budget"/> from now; an infinite budget disarms.</summary>
    public void Arm(TimeSpan budget)
    {
        if (budget == Timeout.InfiniteTimeSpan)
        {
            Disarm();
            return;
        }

        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency));
        _timer.Change(budget, Timeout.InfiniteTimeSpan);
    }

    public void Disarm()
    {
        Volatile.Write(ref _deadline, long.MaxValue);
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
    }

    public void Dispose() => _timer.Dispose();

    // On a timer thread: an exception here would end the process, and the link may be closing meanwhile.
    private void Fire()
    {
        try
        {
            _reader.CancelPendingRead();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
