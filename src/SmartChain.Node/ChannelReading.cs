using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SmartChain.Node;

/// <summary>
/// The components' way to drain a channel. The BCL's <see cref="ChannelReader{T}.ReadAllAsync"/> awaits with
/// <c>ConfigureAwait(false)</c>, so each item is handed to the loop from a thread-pool thread: under the whole-replica
/// simulator that escapes its single-threaded scheduler (the run no longer replays). This one awaits in the caller's
/// context; with none (a real process) it behaves the same as the BCL's.
/// </summary>
internal static class ChannelReading
{
    /// <summary>Every item until the channel completes; throws if <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async IAsyncEnumerable<T> ReadAllHereAsync<T>(this ChannelReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out T? item))
            {
                yield return item;
            }
        }
    }
}
