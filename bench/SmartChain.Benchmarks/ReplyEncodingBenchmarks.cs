using System.Buffers;
using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Ledger;
using SmartChain.Network.Client;

namespace SmartChain.Benchmarks;

/// <summary>
/// What a replica in strong mode does per transaction when it releases a block's replies (issue 16): the entry's and
/// the result's Merkle proofs, the receipt with the block's certificate, and the reply frame that carries it. The
/// baseline is the path before the cut (the receipt encoded into a growing buffer, copied out, then copied again into
/// a copy of the reply); the other writes the receipt in place into the reply's exact-size array.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ReplyEncodingBenchmarks
{
    private const int BlockSize = 44; // the strong SPEND bench's batch at 64 clients
    private BuiltBlock _block = null!;
    private BlockCertificate _certificate = null!;
    private ReplyMessage _reply = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(16);
        ReadOnlyMemory<byte>[] entries = [.. Enumerable.Range(0, BlockSize).Select(_ => (ReadOnlyMemory<byte>)RandomBytes(random, 300))];
        ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(0, BlockSize).Select(_ => (ReadOnlyMemory<byte>)RandomBytes(random, 70))];
        var genesisHeader = new BlockHeader(0, 0, 0, Hash256.Compute("t"u8), Hash256.Compute("r"u8), Hash256.Compute("l"u8));
        _block = BuiltBlock.Next(genesisHeader, 1, entries, results, ReadOnlyMemory<byte>.Empty);
        _certificate = new BlockCertificate([.. Enumerable.Range(0, 3).Select(i => (i, (ReadOnlyMemory<byte>)RandomBytes(random, Ed25519.SignatureSize)))]);
        _reply = new ReplyMessage(Hash256.Compute("request"u8), ReplyStatus.Executed, 1, RandomBytes(random, 70)) { Block = 1 };
    }

    /// <summary>Before: <c>reply with { Receipt = receipt.Encode() }</c>, the receipt through a growing 256-byte buffer.</summary>
    [Benchmark(Baseline = true)]
    public int ReceiptThenReplyCopy()
    {
        TransactionReceipt receipt = _block.Receipt(NextIndex(), _certificate);
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new CanonicalWriter(buffer);
        receipt.WriteTo(ref writer);
        return (_reply with { Receipt = buffer.WrittenSpan.ToArray() }).Encode().Length;
    }

    /// <summary>After: the receipt written in place into the reply's exact-size array.</summary>
    [Benchmark]
    public int ReplyWithReceiptInPlace()
    {
        TransactionReceipt receipt = _block.Receipt(NextIndex(), _certificate);
        return _reply.Encode(receipt, receipt.EncodedSize, static (ref CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w)).Length;
    }

    /// <summary>A receipt alone through <see cref="CanonicalEncoding.ToArray{T}"/> (the thread's scratch buffer, then one exact copy).</summary>
    [Benchmark]
    public int ReceiptToArray() =>
        CanonicalEncoding.ToArray(_block.Receipt(NextIndex(), _certificate), static (ref CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w)).Length;

    private int NextIndex() => _next = (_next + 1) % BlockSize;

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
