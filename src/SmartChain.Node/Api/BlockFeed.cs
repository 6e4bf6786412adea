using System.Threading.Channels;

namespace SmartChain.Node.Api;

/// <summary>
/// One subscriber's feed of newly certified block numbers, in order. Bounded: a subscriber that does not keep up loses
/// the oldest numbers (it can read the blocks it missed by number), so it can never hold up the feed's writer.
/// </summary>
public sealed class BlockFeed : IDisposable
{
    /// <summary>Numbers a feed holds before it drops the oldest.</summary>
    public const int Capacity = 1024;

    private readonly Channel<long> _numbers = Channel.CreateBounded<long>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    private readonly Action<BlockFeed> _leave;

    internal BlockFeed(Action<BlockFeed> leave) => _leave = leave;

    /// <summary>The certified block numbers, as they come.</summary>
    public ChannelReader<long> Numbers => _numbers.Reader;

    internal void Publish(long number) => _numbers.Writer.TryWrite(number);

    internal void Complete() => _numbers.Writer.TryComplete();

    /// <inheritdoc />
    public void Dispose()
    {
        _numbers.Writer.TryComplete();
        _leave(this);
    }
}
