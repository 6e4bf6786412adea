using System.Globalization;
using SmartChain.TestSupport;
using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>What the replicas' simulated disks did in a run (or a swarm) and how the replicas answered it.</summary>
internal sealed class SimDiskReport() : Tally<SimDiskReport, DiskResponse>("disk events")
{
    /// <summary>The disks' own counts: power cuts, process crashes, torn writes, zero-filled tails, failed fsyncs, corrupted reads.</summary>
    public FaultCounts Disk { get; } = new();

    /// <inheritdoc />
    protected override void AddMore(SimDiskReport other) => Disk.Add(other.Disk);

    /// <inheritdoc />
    protected override string Describe(double k) =>
        string.Create(CultureInfo.InvariantCulture,
            $"process crashes {Disk[DiskEvent.ProcessCrashes] * k:0}, power cuts {Disk[DiskEvent.PowerCuts] * k:0} (torn writes {Disk[DiskEvent.TornWrites] * k:0}, " +
            $"zero-filled tails {Disk[DiskEvent.ZeroFilledTails] * k:0}, {Disk[DiskEvent.UnsyncedBytesLost] * k:0} unsynced bytes lost), failed fsyncs {Disk[DiskEvent.FailedSyncs] * k:0} " +
            $"(replica halted {this[DiskResponse.HaltsOnFailedSync] * k:0}, went on {this[DiskResponse.FailedSyncsSurvived] * k:0}), corrupted reads {Disk[DiskEvent.CorruptReads] * k:0} " +
            $"(start refused and replica rebuilt {this[DiskResponse.CorruptRefused] * k:0}, logged and skipped {this[DiskResponse.CorruptLogged] * k:0}; " +
            $"armed but unread {this[DiskResponse.CorruptUnread] * k:0}), fsyncs {Disk[DiskEvent.Syncs] * k:0}");
}
