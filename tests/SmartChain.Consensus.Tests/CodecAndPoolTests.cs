using CsCheck;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

public sealed class CodecAndPoolTests : IDisposable
{
    private static readonly MessageLimits Limits = new(MaxBatch: 8, MaxRequestBytes: 1024);
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);
    private readonly Ed25519KeyPair _bob = TestCluster.Key(2);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private ConsensusMessage[] Samples()
    {
        SignedRequest r1 = TestCluster.Request(_alice, 1);
        SignedRequest r2 = TestCluster.Request(_bob, 7, "x");
        Hash256 h = Hash256.Compute("h"u8);
        return
        [
            new Propose(3, 9, 2, [r1, r2]),
            new Write(3, 9, 2, h, Enumerable.Repeat((byte)3, 64).ToArray()),
            new Accept(3, 9, 2, h, new byte[64]),
            new DecisionMessage(3, 9, 2, [r1], new DecisionProof([new AcceptVote(0, new byte[64]), new AcceptVote(2, Enumerable.Repeat((byte)5, 64).ToArray())])),
            new Fetch(3, 9, 2),
        ];
    }

    [Fact]
    public void Every_message_type_round_trips()
    {
        foreach (ConsensusMessage message in Samples())
        {
            byte[] bytes = MessageCodec.Encode(message);
            ConsensusMessage decoded = MessageCodec.Decode(bytes, Limits);
            Assert.Equal(message.GetType(), decoded.GetType());
            Assert.Equal(bytes, MessageCodec.Encode(decoded));
        }
    }

    [Fact]
    public void Random_and_mutated_bytes_only_ever_raise_EncodingException()
    {
        byte[][] valid = [.. Samples().Select(MessageCodec.Encode)];
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 1000], Gen.Byte).Array[1, 6].Sample(edits =>
        {
            byte[] bytes = [.. valid[edits[0].Item1]];
            foreach ((_, int at, byte value) in edits)
            {
                bytes[at % bytes.Length] = value;
            }

            try
            {
                MessageCodec.Decode(bytes, Limits);
            }
            catch (EncodingException)
            {
            }
        }, iter: 5000);

        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                MessageCodec.Decode(bytes, Limits);
            }
            catch (EncodingException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void A_batch_above_the_limit_is_refused_while_decoding()
    {
        byte[] bytes = MessageCodec.Encode(new Propose(0, 1, 0, [.. Enumerable.Range(1, 9).Select(s => TestCluster.Request(_alice, (ulong)s))]));
        var e = Assert.Throws<EncodingException>(() => MessageCodec.Decode(bytes, Limits));
        Assert.Contains("count 9 exceeds the limit of 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pool_deduplicates_bounds_and_refuses_decided_sequences()
    {
        var pool = new RequestPool(capacity: 3, perClient: 2, window: 100);
        var table = new ClientTable(100);
        SignedRequest a1 = TestCluster.Request(_alice, 1);
        Assert.Equal(PoolAddResult.Added, pool.Add(a1, table));
        Assert.Equal(PoolAddResult.AlreadyPending, pool.Add(a1, table));
        Assert.Equal(PoolAddResult.ConflictingSequence, pool.Add(TestCluster.Request(_alice, 1, "other"), table));
        Assert.Equal(PoolAddResult.Added, pool.Add(TestCluster.Request(_alice, 2), table));
        Assert.Equal(PoolAddResult.ClientFull, pool.Add(TestCluster.Request(_alice, 3), table));
        Assert.Equal(PoolAddResult.Added, pool.Add(TestCluster.Request(_bob, 1), table));
        Assert.Equal(PoolAddResult.PoolFull, pool.Add(TestCluster.Request(_bob, 2), table));

        table.Record([a1], 1);
        pool.RemoveDecided([a1], table);
        Assert.Equal(2, pool.Count);
        Assert.Equal(PoolAddResult.AlreadyDecided, pool.Add(a1, table));
    }

    [Fact]
    public void The_pool_draws_one_request_per_client_per_round_and_respects_byte_limits()
    {
        var pool = new RequestPool(100, 100, 100);
        var table = new ClientTable(100);
        for (ulong s = 1; s <= 3; s++)
        {
            pool.Add(TestCluster.Request(_alice, s), table);
            pool.Add(TestCluster.Request(_bob, s), table);
        }

        List<SignedRequest> batch = pool.SelectBatch(4, int.MaxValue);
        Assert.Equal([1UL, 1UL, 2UL, 2UL], batch.Select(r => r.Sequence));
        Assert.Equal(2, batch.Select(r => r.Client).Distinct().Count());

        int oneRequest = batch[0].Size;
        Assert.Equal(2, pool.SelectBatch(10, (2 * oneRequest) + 1).Count);
    }
}
