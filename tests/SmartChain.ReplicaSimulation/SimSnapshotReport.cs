using System.Globalization;
using SmartChain.TestSupport;

namespace SmartChain.ReplicaSimulation;

/// <summary>Snapshot state transfers in a run (or a swarm), and what the corrupted reads armed while replicas ran hit.</summary>
internal sealed class SimSnapshotReport() : Tally<SimSnapshotReport, SnapshotEvent>("snapshot events")
{
    /// <inheritdoc />
    protected override string Describe(double k) => string.Create(CultureInfo.InvariantCulture,
        $"snapshot transfers {this[SnapshotEvent.SnapshotTransfers] * k:0}, corrupted reads while running armed {this[SnapshotEvent.Armed] * k:0} " +
        $"(block reads {this[SnapshotEvent.BlockReads] * k:0}, snapshot reads {this[SnapshotEvent.SnapshotReads] * k:0}; " +
        $"reported by the reader {this[SnapshotEvent.ReportedByReader] * k:0}, by the receiver of the chunk {this[SnapshotEvent.ReportedByReceiver] * k:0}; " +
        $"served but lost in flight {this[SnapshotEvent.LostInFlight] * k:0}; unread {this[SnapshotEvent.Unread] * k:0})");
}
