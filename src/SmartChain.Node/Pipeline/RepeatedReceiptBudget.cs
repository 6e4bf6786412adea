using System.Diagnostics;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// How many repeated requests per second the ledger loop answers with a receipt read back from the store. Repeats are
/// free for a client to send (any decided request's bytes are public), and each receipt read decodes a block and
/// rebuilds its Merkle trees on the ledger loop; past the budget a repeat gets its plain Duplicate reply, as before
/// receipts were attached to repeats. Used by one thread: the ledger loop.
/// </summary>
internal sealed class RepeatedReceiptBudget(int perSecond, Func<long>? clock = null, long frequency = 0)
{
    private readonly Func<long> _clock = clock ?? Stopwatch.GetTimestamp;
    private readonly long _frequency = frequency > 0 ? frequency : Stopwatch.Frequency;
    private long _windowStart = long.MinValue;
    private int _taken;

    /// <summary>True if one more receipt may be read in the current one-second window.</summary>
    public bool TryTake()
    {
        long now = _clock();
        if (_windowStart == long.MinValue || now - _windowStart >= _frequency)
        {
            _windowStart = now;
            _taken = 0;
        }

        if (_taken >= perSecond)
        {
            return false;
        }

        _taken++;
        return true;
    }
}
