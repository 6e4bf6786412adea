namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Seeds of the 10,000-seed swarm whose certified prefix stayed behind after a view change (issue 15): a replica held
/// blocks of a view the others had left, with no certificate, and re-certifying them asked only for signatures. The
/// members had erased their keys of that view, so each could give only the signature kept in the certificate it stored,
/// and a stored certificate holds the first Q signatures that came, not necessarily its keeper's own. With a signer of
/// that certificate removed since (seed 54: r1 excluded) or one signature lost in flight before the signer left (seed
/// 115: r2 left), fewer than Q signatures of the old view could ever come. The members now answer with the certificate
/// itself, which the asker verifies against its own header and the view that certifies the block.
/// </summary>
public sealed class CertifiedPrefixSimulationTests
{
    // 54: r3's disk gave a corrupted read, it was wiped and rebuilt its first blocks by FETCH while r4 joined; every
    // stored certificate of block 6 is {1, 2, 3} (r0 was slow), and r1 was excluded before r3 asked again.
    // 115: no crash; r3 missed r2's signature of block 26 (view 1, Q = 4) and r2 left; r4 joined later by state transfer.
    [Theory]
    [InlineData(54UL)]
    [InlineData(115UL)]
    public void A_replica_with_old_view_blocks_uncertified_gets_their_certificates_from_the_members(ulong seed)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed);

        Assert.Contains("join", outcome.Reconfigured);
        Assert.True(outcome.Reconfigured.Count == 2, outcome.ToString()); // a LEAVE or an EXCLUDE after the JOIN
        Assert.True(outcome.Passed, outcome.ToString());
    }
}
