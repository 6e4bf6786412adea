using System.Globalization;
using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>What the replicas' simulated disks did in a run (or a swarm) and how the replicas answered it.</summary>
internal sealed class SimDiskReport
{
    /// <summary>The disks' own counts: power cuts, process crashes, torn writes, zero-filled tails, failed fsyncs, corrupted reads.</summary>
    public FaultCounts Disk { get; } = new();

    /// <summary>Replicas that halted after an fsync failed (then power cut and restarted).</summary>
    public long HaltsOnFailedSync { get; set; }

    /// <summary>Failed-fsync windows in which the replica went on (the failure hit nothing it had to stop for, or was retried).</summary>
    public long FailedSyncsSurvived { get; set; }

    /// <summary>Restarts refused because a corrupted read was found; the replica was wiped and rebuilt by state transfer.</summary>
    public long CorruptRefused { get; set; }

    /// <summary>Restarts that read a corrupted byte, logged it and did not use it (a skipped snapshot).</summary>
    public long CorruptLogged { get; set; }

    /// <summary>Corruptions armed that no read at restart covered (disarmed once the replica ran).</summary>
    public long CorruptUnread { get; set; }

    public void Add(SimDiskReport other)
    {
        Disk.Add(other.Disk);
        HaltsOnFailedSync += other.HaltsOnFailedSync;
        FailedSyncsSurvived += other.FailedSyncsSurvived;
        CorruptRefused += other.CorruptRefused;
        CorruptLogged += other.CorruptLogged;
        CorruptUnread += other.CorruptUnread;
    }

    /// <summary>The counts per 1,000 seeds of a swarm of <paramref name="seeds"/>.</summary>
    public string PerThousand(long seeds) => "disk events per 1,000 seeds: " + Describe(1000.0 / Math.Max(1, seeds));

    /// <inheritdoc />
    public override string ToString() => "disk events: " + Describe(1);

    private string Describe(double k) =>
        string.Create(CultureInfo.InvariantCulture,
            $"process crashes {Disk.ProcessCrashes * k:0}, power cuts {Disk.PowerCuts * k:0} (torn writes {Disk.TornWrites * k:0}, " +
            $"zero-filled tails {Disk.ZeroFilledTails * k:0}, {Disk.UnsyncedBytesLost * k:0} unsynced bytes lost), failed fsyncs {Disk.FailedSyncs * k:0} " +
            $"(replica halted {HaltsOnFailedSync * k:0}, went on {FailedSyncsSurvived * k:0}), corrupted reads {Disk.CorruptReads * k:0} " +
            $"(start refused and replica rebuilt {CorruptRefused * k:0}, logged and skipped {CorruptLogged * k:0}; armed but unread {CorruptUnread * k:0}), fsyncs {Disk.Syncs * k:0}");
}
