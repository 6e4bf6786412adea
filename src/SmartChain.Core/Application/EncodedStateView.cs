using System.Buffers;

namespace SmartChain.Core.Application;

/// <summary>The fallback consistent view: the snapshot encoded at capture time.</summary>
public sealed class EncodedStateView : IStateView
{
    private readonly byte[] _snapshot;

    /// <summary>Encodes <paramref name="app"/>'s snapshot now.</summary>
    public EncodedStateView(IReplicatedApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var buffer = new ArrayBufferWriter<byte>();
        app.WriteSnapshot(buffer);
        _snapshot = buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public void WriteSnapshot(IBufferWriter<byte> output) => output.Write(_snapshot);
}
