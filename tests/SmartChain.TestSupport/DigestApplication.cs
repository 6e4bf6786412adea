using System.Buffers;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.TestSupport;

/// <summary>
/// A deterministic stand-in application: each request's result is the SHA-256 of its operation chained with the
/// previous result, so results depend on order and on everything executed before.
/// </summary>
public sealed class DigestApplication : IReplicatedApplication
{
    private Hash256 _state = Hash256.Zero;

    public TxCheck CheckTx(SignedRequest request) => TxCheck.Ok;

    public IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch)
    {
        var results = new byte[batch.Count][];
        for (int i = 0; i < batch.Count; i++)
        {
            _state = Hash256.Compute([.. _state.ToArray(), .. batch[i].Operation.Span]);
            results[i] = _state.ToArray();
        }

        return results;
    }

    public void WriteSnapshot(IBufferWriter<byte> output) => output.Write(_state.ToArray());

    public void RestoreSnapshot(ReadOnlySpan<byte> snapshot) => _state = new Hash256(snapshot);

    public byte[] Query(ReadOnlySpan<byte> query) => _state.ToArray();

    public Hash256 ComputeStateHash() => _state;
}
