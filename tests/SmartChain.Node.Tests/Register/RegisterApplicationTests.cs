using System.Buffers;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Tests.Register;

/// <summary>The test-only register keeps the application contract the platform relies on (determinism, snapshots, refusals).</summary>
public class RegisterApplicationTests
{
    private const string Chain = "register-unit";

    [Fact]
    public void Puts_are_versioned_and_a_restored_snapshot_is_the_same_state()
    {
        using Ed25519KeyPair writer = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());
        var app = new RegisterApplication(Chain);
        IReadOnlyList<byte[]> results = app.ExecuteBatch(new BatchContext(1, 1),
        [
            Put(writer, 1, "b", [1]), Put(writer, 2, "a", [2]), Put(writer, 3, "b", [3]),
        ]);
        Assert.Equal([(RegisterOperation.Ok, 1UL), (RegisterOperation.Ok, 1UL), (RegisterOperation.Ok, 2UL)], results.Select(r => RegisterOperation.DecodeResult(r)));
        (ulong version, byte[] value) = RegisterOperation.DecodeAnswer(app.Query(RegisterOperation.EncodeGet("b")));
        Assert.Equal((2UL, "03"), (version, Convert.ToHexString(value)));

        var copy = new RegisterApplication(Chain);
        copy.RestoreSnapshot(Snapshot(app));
        Assert.Equal(app.ComputeStateHash(), copy.ComputeStateHash());
        Assert.Equal(Snapshot(app), Snapshot(copy));
        (version, value) = RegisterOperation.DecodeAnswer(copy.Query(RegisterOperation.EncodeGet("a")));
        Assert.Equal((1UL, "02"), (version, Convert.ToHexString(value)));
    }

    [Fact]
    public void A_malformed_operation_is_refused_before_ordering_and_changes_nothing_in_execution()
    {
        using Ed25519KeyPair writer = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)4, 32).ToArray());
        var app = new RegisterApplication(Chain);
        Hash256 before = app.ComputeStateHash();
        SignedRequest bad = SignedRequest.Create(Chain, writer, 1, 0, [RegisterOperation.Put, 0xFF]);
        Assert.False(app.CheckTx(bad).Accepted);
        Assert.False(app.CheckTx(Put(writer, 2, "k", [1], chain: "another-chain")).Accepted);
        Assert.True(app.CheckTx(Put(writer, 3, "k", [1])).Accepted);
        Assert.Equal((RegisterOperation.Malformed, 0UL), RegisterOperation.DecodeResult(app.ExecuteBatch(new BatchContext(1, 1), [bad])[0]));
        Assert.Equal(before, app.ComputeStateHash());
    }

    [Fact]
    public void A_snapshot_with_keys_out_of_order_is_refused_and_the_state_is_kept()
    {
        using Ed25519KeyPair writer = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)5, 32).ToArray());
        var app = new RegisterApplication(Chain);
        app.ExecuteBatch(new BatchContext(1, 1), [Put(writer, 1, "x", [9])]);
        Hash256 before = app.ComputeStateHash();
        var buffer = new ArrayBufferWriter<byte>();
        var w = new CanonicalWriter(buffer);
        w.WriteCount(2, 10);
        foreach (string key in new[] { "b", "a" })
        {
            w.WriteString(key, RegisterOperation.MaxKeyBytes);
            w.WriteUInt64(1);
            w.WriteBytes([1], RegisterOperation.MaxValueBytes);
        }

        Assert.Throws<EncodingException>(() => app.RestoreSnapshot(buffer.WrittenSpan));
        Assert.Equal(before, app.ComputeStateHash());
    }

    private static SignedRequest Put(Ed25519KeyPair writer, ulong sequence, string key, byte[] value, string chain = Chain) =>
        SignedRequest.Create(chain, writer, sequence, 0, RegisterOperation.EncodePut(key, value));

    private static byte[] Snapshot(RegisterApplication app)
    {
        var buffer = new ArrayBufferWriter<byte>();
        app.WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
