using Microsoft.Extensions.Logging;

namespace SmartChain.Node;

/// <summary>
/// A log of one kind of bad input (a peer message dropped, a link event): it writes the 1st, 2nd, 4th, 8th… occurrence,
/// so a flood of bad input cannot flood the log, and counts them all for the status line. Any thread may write.
/// </summary>
internal sealed class SampledLog(ILogger log)
{
    private long _count;

    /// <summary>How many occurrences there were.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts one occurrence and logs it if its number is a power of two.</summary>
    public void Write(string line)
    {
        long n = Interlocked.Increment(ref _count);
        if ((n & (n - 1)) == 0)
        {
            NodeLog.BadInput(log, line, n);
        }
    }
}
