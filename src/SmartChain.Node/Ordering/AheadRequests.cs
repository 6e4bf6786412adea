namespace SmartChain.Node.Ordering;

/// <summary>
/// Client requests whose not-before names an instance this replica has not decided yet, held (instead of refused) until
/// it has. A client names the newest instance it has seen a reply from, and replies come from the fastest replicas: a
/// replica one instance behind them (often the leader, which does the most work) would otherwise refuse the request, and
/// it would be ordered only when the other replicas forward it at half the request timeout (1 s by default), the
/// latency tail of issue 16. Bounded by lead, count, bytes and time; owned by the consensus thread.
/// </summary>
internal sealed class AheadRequests
{
    /// <summary>
    /// Most instances a not-before may lie past the last decided one and be held: a correct client's lies at most a few
    /// instances ahead of a replica that keeps up; a replica further behind catches up by FETCH or state transfer, and the
    /// others order the request meanwhile.
    /// </summary>
    public const long MaxLead = 8;

    /// <summary>Most requests held at once; more are refused as before (the client's other replicas still order them).</summary>
    public const int Capacity = 4096;

    /// <summary>Most request bytes held at once (a request is at most 64 KiB; correct ones about 400 bytes).</summary>
    public const long MaxBytes = 8L << 20;

    /// <summary>
    /// Ticks a request may be held (2 s at the default 10 ms tick): a correct client's instance is decided long before;
    /// one that never is (a client naming an instance nobody decided) is refused then.
    /// </summary>
    public const long MaxHoldTicks = 200;

    private readonly Queue<(NodeInput.ClientRequest Request, long HeldAt)> _held = new();
    private long _bytes;

    /// <summary>Requests held now.</summary>
    public int Count => _held.Count;

    /// <summary>Holds <paramref name="request"/> (its not-before is past <paramref name="lastDecided"/>) if the bounds allow.</summary>
    public bool TryHold(NodeInput.ClientRequest request, long lastDecided, long tick)
    {
        long lead = request.Request.NotBefore - lastDecided;
        int size = request.Request.Size;
        if (lead < 1 || lead > MaxLead || _held.Count >= Capacity || _bytes + size > MaxBytes)
        {
            return false;
        }

        _held.Enqueue((request, tick));
        _bytes += size;
        return true;
    }

    /// <summary>
    /// Moves to <paramref name="due"/> the held requests whose not-before is now decided (they may be ordered in the next
    /// instance) and to <paramref name="expired"/> those held <see cref="MaxHoldTicks"/> or longer; keeps the rest, in order.
    /// </summary>
    public void Take(long lastDecided, long tick, List<NodeInput.ClientRequest> due, List<NodeInput.ClientRequest> expired)
    {
        for (int n = _held.Count; n > 0; n--)
        {
            (NodeInput.ClientRequest request, long heldAt) = _held.Dequeue();
            if (request.Request.NotBefore <= lastDecided)
            {
                due.Add(request);
            }
            else if (tick - heldAt >= MaxHoldTicks)
            {
                expired.Add(request);
            }
            else
            {
                _held.Enqueue((request, heldAt));
                continue;
            }

            _bytes -= request.Request.Size;
        }
    }
}
