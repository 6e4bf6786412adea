using System.Buffers;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

/// <summary>The vote-log record bytes, which the node fsyncs and the simulator restarts from.</summary>
public sealed class VoteRecordCodecTests : IDisposable
{
    private readonly TestCluster _cluster = new();
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose()
    {
        _alice.Dispose();
        _cluster.Dispose();
    }

    private static byte[] Encode(VoteRecord vote)
    {
        var buffer = new ArrayBufferWriter<byte>();
        VoteRecordCodec.Write(buffer, vote);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void An_accept_record_keeps_its_write_certificate_and_the_certificate_still_verifies()
    {
        SignedRequest[] batch = [TestCluster.Request(_alice, 1), TestCluster.Request(_alice, 2, "x")];
        Hash256 hash = BatchHash.Compute(batch);
        byte[] statement = WriteStatement.Encode(TestCluster.Chain, 0, 5, 2, hash);
        var writes = Enumerable.Range(0, 3).Select(i => (i, (ReadOnlyMemory<byte>)_cluster.Keys[i].Sign(statement))).ToList();
        var vote = new VoteRecord(MessageType.Accept, 5, 2, hash, Certificate: new WriteCertificate(5, 2, hash, batch, writes));

        VoteRecord read = VoteRecordCodec.Read(Encode(vote));

        Assert.Equal((MessageType.Accept, 5L, 2, hash), (read.Kind, read.Instance, read.Regency, read.BatchHash));
        Assert.Null(read.Batch);
        WriteCertificate certificate = Assert.IsType<WriteCertificate>(read.Certificate);
        Assert.Equal([0, 1, 2], certificate.Writes.Select(w => w.ReplicaId));
        Assert.Null(certificate.Verify(_cluster.View, TestCluster.Chain));
    }

    [Fact]
    public void A_record_written_before_certificates_existed_reads_as_one_without()
    {
        SignedRequest[] batch = [TestCluster.Request(_alice, 1)];
        var propose = new VoteRecord(MessageType.Propose, 3, 1, BatchHash.Compute(batch), batch);
        byte[] bytes = Encode(propose);
        Assert.Equal(0, bytes[^1]); // "no certificate": the old format is these bytes without the last one

        VoteRecord read = VoteRecordCodec.Read(bytes.AsSpan(0, bytes.Length - 1));

        Assert.Null(read.Certificate);
        Assert.Equal(batch[0].Digest, Assert.Single(read.Batch!).Digest);
    }

    [Fact]
    public void A_certificate_of_another_instance_is_refused_when_written()
    {
        Hash256 hash = Hash256.Compute("b"u8);
        var vote = new VoteRecord(MessageType.Accept, 5, 2, hash, Certificate: new WriteCertificate(4, 2, hash, [], []));
        Assert.Throws<ArgumentException>(() => Encode(vote));
    }
}
