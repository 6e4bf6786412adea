using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.Core.Tests;

public class LimitsTests
{
    [Fact]
    public void Limits_are_consistent_with_each_other()
    {
        Assert.Equal(1 + 4 + Ed25519PublicKey.Size + 8 + 8 + 4 + Ed25519.SignatureSize, Limits.RequestOverheadBytes);
        Assert.True(Limits.MaxRequestBytes >= Limits.RequestOverheadBytes + Limits.MaxChainIdBytes + Limits.MaxOperationBytes);
        Assert.True(Limits.MaxBatchBytes >= Limits.MaxRequestBytes, "one largest request must fit in a batch");
        Assert.True(Limits.MinViewMembers == 4 && Limits.MaxViewMembers >= 31);
    }

    [Fact]
    public void Default_consensus_parameters_are_within_the_limits()
    {
        ConsensusParameters d = ConsensusParameters.Default;
        Assert.InRange(d.MaxBatch, 1, Limits.MaxBatchRequests);
        Assert.InRange(d.MaxRequestBytes, Limits.RequestOverheadBytes + 1, Limits.MaxRequestBytes);
        Assert.InRange(d.MaxBatchBytes, d.MaxRequestBytes, Limits.MaxBatchBytes);
        Assert.True(d.RequestTimeoutMs >= 2 * d.TickMs);
    }
}
