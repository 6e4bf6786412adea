namespace SmartChain.TestSupport.Storage;

/// <summary>How often each fault class happened, summed over a run or a swarm of seeds.</summary>
public sealed class FaultCounts() : Tally<FaultCounts, DiskEvent>("")
{
    /// <inheritdoc />
    protected override string Describe(double k) =>
        $"power cuts {this[DiskEvent.PowerCuts] * k:F0}, process crashes {this[DiskEvent.ProcessCrashes] * k:F0}, torn writes {this[DiskEvent.TornWrites] * k:F0}, " +
        $"zero-filled tails {this[DiskEvent.ZeroFilledTails] * k:F0}, failed fsyncs {this[DiskEvent.FailedSyncs] * k:F0}, corrupted reads {this[DiskEvent.CorruptReads] * k:F0} " +
        $"(refused with a report {this[DiskEvent.CorruptionsReported] * k:F0}, snapshot skipped {this[DiskEvent.CorruptSnapshotsSkipped] * k:F0}), " +
        $"recoveries {this[DiskEvent.Recoveries] * k:F0}, blocks committed {this[DiskEvent.BlocksCommitted] * k:F0}, fsyncs {this[DiskEvent.Syncs] * k:F0}";
}
