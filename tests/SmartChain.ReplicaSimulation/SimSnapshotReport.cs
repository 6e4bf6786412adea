using System.Globalization;

namespace SmartChain.ReplicaSimulation;

/// <summary>Snapshot state transfers in a run (or a swarm), and what the corrupted reads armed while replicas ran hit.</summary>
internal sealed class SimSnapshotReport
{
    /// <summary>Snapshots downloaded, checked against their certified checkpoint block and installed by state transfer.</summary>
    public long SnapshotTransfers { get; set; }

    /// <summary>Corrupted reads armed on a running replica.</summary>
    public long Armed { get; set; }

    /// <summary>Of those, a read of a block segment that returned a flipped bit (and was reported).</summary>
    public long BlockReads { get; set; }

    /// <summary>Of those, a read of a snapshot file that returned a flipped bit (and was reported).</summary>
    public long SnapshotReads { get; set; }

    /// <summary>Reported by the replica whose read it was, naming the file or the block.</summary>
    public long ReportedByReader { get; set; }

    /// <summary>A corrupted snapshot chunk served: reported by the replica that received it (the certified hash did not match).</summary>
    public long ReportedByReceiver { get; set; }

    /// <summary>A corrupted snapshot chunk served, but lost before it reached the replica that asked: nobody saw it.</summary>
    public long LostInFlight { get; set; }

    /// <summary>Armed, but the replica read no such file in the window.</summary>
    public long Unread { get; set; }

    public void Add(SimSnapshotReport other)
    {
        SnapshotTransfers += other.SnapshotTransfers;
        Armed += other.Armed;
        BlockReads += other.BlockReads;
        SnapshotReads += other.SnapshotReads;
        ReportedByReader += other.ReportedByReader;
        ReportedByReceiver += other.ReportedByReceiver;
        LostInFlight += other.LostInFlight;
        Unread += other.Unread;
    }

    /// <summary>The counts per 1,000 seeds of a swarm of <paramref name="seeds"/>.</summary>
    public string PerThousand(long seeds) => "snapshot events per 1,000 seeds: " + Describe(1000.0 / Math.Max(1, seeds));

    /// <inheritdoc />
    public override string ToString() => "snapshot events: " + Describe(1);

    private string Describe(double k) => string.Create(CultureInfo.InvariantCulture,
        $"snapshot transfers {SnapshotTransfers * k:0}, corrupted reads while running armed {Armed * k:0} (block reads {BlockReads * k:0}, " +
        $"snapshot reads {SnapshotReads * k:0}; reported by the reader {ReportedByReader * k:0}, by the receiver of the chunk {ReportedByReceiver * k:0}; " +
        $"served but lost in flight {LostInFlight * k:0}; unread {Unread * k:0})");
}
