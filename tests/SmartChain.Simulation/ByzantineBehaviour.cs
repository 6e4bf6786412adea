namespace SmartChain.Simulation;

/// <summary>What a Byzantine replica of the simulator does to the messages it sends (its own core stays intact).</summary>
public enum ByzantineBehaviour
{
    /// <summary>None.</summary>
    None,

    /// <summary>As leader, sends one batch to some replicas and the same requests reordered (another hash) to the others.</summary>
    Equivocate,

    /// <summary>As leader, never proposes the first client's requests (censorship) while ordering the others'.</summary>
    Silent,

    /// <summary>Sends properly signed WRITEs and ACCEPTs for a batch nobody proposed to some replicas.</summary>
    ConflictingVotes,

    /// <summary>As new leader, sends a SYNC whose batch does not follow from its STOPDATAs; its STOPDATAs carry bad signatures.</summary>
    ForgeLeaderChange,

    /// <summary>Sends old messages again, at random, to random replicas.</summary>
    Replay,

    /// <summary>As leader, proposes to some replicas a batch with a forged request (operation changed, signature kept).</summary>
    InvalidProposal,

    /// <summary>
    /// Any message it sends may be rewritten field by field over each field's whole range (far ahead and behind, 0, -1,
    /// the extremes; empty, maximal and duplicated lists; truncated and extended batches), re-signed with its own key,
    /// and anything it has seen may be replayed to anyone. Drawn from its own generator, never by the older draws.
    /// </summary>
    Mutate,
}
