using System.Buffers;
using System.Diagnostics;

namespace SmartChain.Testbed.Switch;

/// <summary>
/// Frames waiting for their departure time, sent by one thread in time order (equal times in arrival order, so a link
/// without jitter keeps its order as a wire does). Timing is to the millisecond: Monitor.Wait's resolution, about the
/// precision of netem on a busy machine too.
/// </summary>
internal sealed class DelayLine : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Pending, (long Due, long Sequence)> _queue = new();
    private readonly Thread _thread;
    private long _sequence;
    private bool _stopping;

    public DelayLine()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "delay line" };
        _thread.Start();
    }

    /// <summary>Frames sent, and frames the kernel refused.</summary>
    public long Sent;

    public long Refused;

    /// <summary>Queues a copy of <paramref name="frame"/> for <paramref name="port"/> at Stopwatch time <paramref name="due"/>.</summary>
    public void Enqueue(PacketSocket port, ReadOnlySpan<byte> frame, long due)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(copy);
        lock (_gate)
        {
            bool first = _queue.Count == 0 || due < _queue.Peek().Due;
            _queue.Enqueue(new Pending(port, copy, frame.Length, due), (due, _sequence++));
            if (first)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
    }

    private void Run()
    {
        var ready = new List<Pending>();
        while (true)
        {
            lock (_gate)
            {
                while (!_stopping && (_queue.Count == 0 || _queue.Peek().Due > Stopwatch.GetTimestamp()))
                {
                    if (_queue.Count == 0)
                    {
                        Monitor.Wait(_gate);
                    }
                    else
                    {
                        double ms = (_queue.Peek().Due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
                        Monitor.Wait(_gate, Math.Max(1, (int)Math.Ceiling(ms)));
                    }
                }

                if (_stopping)
                {
                    return;
                }

                long now = Stopwatch.GetTimestamp();
                while (_queue.Count > 0 && _queue.Peek().Due <= now)
                {
                    ready.Add(_queue.Dequeue());
                }
            }

            foreach (Pending p in ready)
            {
                if (p.Port.Send(p.Frame.AsSpan(0, p.Length)))
                {
                    Sent++;
                }
                else
                {
                    Refused++;
                }

                ArrayPool<byte>.Shared.Return(p.Frame);
            }

            ready.Clear();
        }
    }

    private readonly record struct Pending(PacketSocket Port, byte[] Frame, int Length, long Due);
}
