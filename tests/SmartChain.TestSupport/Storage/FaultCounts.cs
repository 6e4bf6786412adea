namespace SmartChain.TestSupport.Storage;

/// <summary>How often each fault class happened, summed over a run or a swarm of seeds.</summary>
public sealed class FaultCounts
{
    public long PowerCuts { get; set; }

    public long ProcessCrashes { get; set; }

    public long TornWrites { get; set; }

    public long ZeroFilledTails { get; set; }

    public long UnsyncedBytesLost { get; set; }

    public long FailedSyncs { get; set; }

    public long Syncs { get; set; }

    public long CorruptReads { get; set; }

    /// <summary>Corrupted reads that recovery refused with a report naming the block or file.</summary>
    public long CorruptionsReported { get; set; }

    /// <summary>Corrupted reads of a snapshot file, which recovery logged and did not use.</summary>
    public long CorruptSnapshotsSkipped { get; set; }

    /// <summary>Restarts, each a full run of the real recovery.</summary>
    public long Recoveries { get; set; }

    public long BlocksCommitted { get; set; }

    public void Add(FaultCounts other)
    {
        PowerCuts += other.PowerCuts;
        ProcessCrashes += other.ProcessCrashes;
        TornWrites += other.TornWrites;
        ZeroFilledTails += other.ZeroFilledTails;
        UnsyncedBytesLost += other.UnsyncedBytesLost;
        FailedSyncs += other.FailedSyncs;
        Syncs += other.Syncs;
        CorruptReads += other.CorruptReads;
        CorruptionsReported += other.CorruptionsReported;
        CorruptSnapshotsSkipped += other.CorruptSnapshotsSkipped;
        Recoveries += other.Recoveries;
        BlocksCommitted += other.BlocksCommitted;
    }

    public string PerThousand(int seeds)
    {
        double k = 1000.0 / Math.Max(1, seeds);
        return $"per 1,000 seeds: power cuts {PowerCuts * k:F0}, process crashes {ProcessCrashes * k:F0}, torn writes {TornWrites * k:F0}, " +
               $"zero-filled tails {ZeroFilledTails * k:F0}, failed fsyncs {FailedSyncs * k:F0}, corrupted reads {CorruptReads * k:F0} " +
               $"(refused with a report {CorruptionsReported * k:F0}, snapshot skipped {CorruptSnapshotsSkipped * k:F0}), " +
               $"recoveries {Recoveries * k:F0}, blocks committed {BlocksCommitted * k:F0}, fsyncs {Syncs * k:F0}";
    }
}
