using System.Buffers;

namespace SmartChain.Core.Application;

/// <summary>A frozen copy of an application's state, from <see cref="IReplicatedApplication.CaptureState"/>.</summary>
public interface IStateView
{
    /// <summary>Writes the captured state's canonical snapshot (the same bytes <see cref="IReplicatedApplication.WriteSnapshot"/> wrote then).</summary>
    void WriteSnapshot(IBufferWriter<byte> output);
}
