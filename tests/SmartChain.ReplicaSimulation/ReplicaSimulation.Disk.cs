using Microsoft.Extensions.Logging;
using SmartChain.Core.IO;
using SmartChain.Core.Views;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Node;
using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The disk side of a run: each replica on its own <see cref="SimulatedDisk"/> (seeded from the run's seed), and the
/// crash-restarts played as their drawn <see cref="SimCrash"/> kind. A crash other than a clean stop drops the
/// incarnation as it stands: its context is killed with what it had queued, its file handles die, and nothing of it
/// runs again. The checks: a replica answers only for what is durable (<c>CheckReply</c>), so an acknowledged request
/// survives any power cut; a replica halts only for an fsync that failed; a corrupted read is refused or reported,
/// never used silently; the ledgers are read back after a last power cut of every disk.
/// </summary>
internal sealed partial class ReplicaSimulation
{
    private const long FailedSyncPoll = 5 * Ms;
    private readonly SimulatedDisk?[] _disks = new SimulatedDisk?[Ever];
    private readonly SimReportLog?[] _logs = new SimReportLog?[Ever];
    private readonly long[] _failedSyncsBefore = new long[Ever];
    private readonly bool[] _failSyncArmed = new bool[Ever];
    private readonly bool[] _wiped = new bool[Ever];
    private readonly SimDiskReport _diskReport = new();
    private int _crashIndex;
    private bool _disksCounted;

    // The disk of replica i, created at its first start; a wipe replaces it with an empty one.
    private SimulatedDisk DiskOf(int i) =>
        _disks[i] ??= new SimulatedDisk(new Random((int)(_faults.Disk.DiskSeed >> 16) ^ (i * 7919) ^ (int)_diskReport[DiskResponse.CorruptRefused]));

    // A fresh log for each incarnation: what it reported is what counts for its start. No replica here is Byzantine,
    // so evidence against one that kept its disk means it voted or signed twice: it forgot a vote it had sent (a vote
    // log not durable, or not read back) and so broke persist-before-send. A wiped replica has forgotten by design.
    private ILoggerFactory LogFor(int i) => _logs[i] = Tracked(i, new SimReportLog
    {
        Echo = SimLog.For(_scheduler.Time, i).CreateLogger("replica"),
        OnEvidence = (from, line) =>
        {
            if (from is >= 0 and < Ever && !_wiped[from])
            {
                _failures.Add($"replica {i} holds evidence that replica {from} equivocated after its crash-restarts: {line}");
            }
        },
    });

    // Plays crash-restart number k of the run on `replica`; returns how much of its down time is left.
    private async Task<long> CrashAsync(int replica, long down)
    {
        SimCrash kind = _faults.Disk.KindOf(_crashIndex++);
        SimulatedDisk disk = DiskOf(replica);
        _network.Trace($"{kind} r{replica}");
        switch (kind)
        {
            case SimCrash.Clean:
                await StopAsync(replica);
                return down;
            case SimCrash.Abrupt:
                Drop(replica);
                disk.CrashProcess();
                return down;
            case SimCrash.PowerCut:
                Drop(replica);
                disk.CrashPower();
                return down;
            case SimCrash.FailedSync:
                return await FailSyncAsync(replica, disk, down);
            default:
                Drop(replica);
                disk.CrashProcess();
                ArmCorruption(replica, disk);
                return down;
        }
    }

    // An fsync of the running replica fails; the replica may halt (a stopped loop is expected then) or go on. Either
    // way the window ends with a power cut: whatever it acknowledged must have been durable.
    private async Task<long> FailSyncAsync(int replica, SimulatedDisk disk, long down)
    {
        TimeProvider time = _scheduler.Time;
        long until = time.GetTimestamp() + (down / 2);
        _failedSyncsBefore[replica] = disk.Counts[DiskEvent.FailedSyncs];
        _failSyncArmed[replica] = true;
        disk.FailSyncIn = 1 + (int)(_scheduler.Next() % 4);
        while (time.GetTimestamp() < until && _completions[replica] is { IsCompleted: false })
        {
            await Task.Delay(TimeSpan.FromTicks(FailedSyncPoll), time);
        }

        bool failed = disk.Counts[DiskEvent.FailedSyncs] > _failedSyncsBefore[replica];
        if (_completions[replica] is { IsFaulted: true })
        {
            _diskReport[DiskResponse.HaltsOnFailedSync]++;
        }
        else if (failed)
        {
            _diskReport[DiskResponse.FailedSyncsSurvived]++;
        }

        disk.FailSyncIn = 0;
        _failSyncArmed[replica] = false;
        Drop(replica);
        disk.CrashPower();
        return Math.Max(Ms, until + (down / 2) - time.GetTimestamp());
    }

    // A stopped loop is expected only of a replica whose fsync just failed, and only for that failure.
    private bool HaltedOnFailedSync(int i, Exception failure) =>
        _failSyncArmed[i] && DiskOf(i).Counts[DiskEvent.FailedSyncs] > _failedSyncsBefore[i] && failure.ToString().Contains("simulated fsync failure", StringComparison.Ordinal);

    // The next read at restart that covers one committed byte of the block store, the vote log or a snapshot flips it.
    private void ArmCorruption(int replica, SimulatedDisk disk)
    {
        string data = DataDir(replica);
        var files = new List<string>();
        foreach (string folder in new[] { Path.Combine(data, BlockStore.FolderName), Path.Combine(data, SnapshotStore.FolderName) })
        {
            if (disk.DirectoryExists(folder))
            {
                files.AddRange(disk.ListFiles(folder, "*"));
            }
        }

        files.Add(Path.Combine(data, VoteLog.FileName));
        files.RemoveAll(f => !disk.FileExists(f) || disk.FileLength(f) == 0 || f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));
        if (files.Count == 0)
        {
            return;
        }

        string file = files[(int)(_scheduler.Next() % (ulong)files.Count)];
        long offset = (long)(_scheduler.Next() % (ulong)disk.FileLength(file));
        disk.CorruptReadAt = (file, offset);
        _network.Trace($"corrupt r{replica} {Path.GetFileName(file)} {offset}");
    }

    // A restart through the real recovery path. A replica that refuses to start on a corrupted read has reported it:
    // its operator wipes the data folder and state transfer rebuilds it (as a new disk). One that starts after a
    // corrupted read must have logged it; otherwise the run fails.
    private void Restart(int i)
    {
        SimulatedDisk disk = DiskOf(i);
        (string File, long Offset)? armed = disk.CorruptReadAt;
        long corruptBefore = disk.Counts[DiskEvent.CorruptReads];
        try
        {
            Start(i);
        }
        catch (Exception e) when (armed is not null && disk.Counts[DiskEvent.CorruptReads] > corruptBefore)
        {
            _contexts[i]!.Kill();
            if (!e.Message.Contains(Path.GetFileName(armed.Value.File), StringComparison.Ordinal) && !e.Message.Contains(BlockStore.FolderName, StringComparison.Ordinal))
            {
                _failures.Add($"replica {i} refused to start after a corrupted read of {armed.Value.File} at {armed.Value.Offset}, naming neither: {e.Message}");
            }

            _network.Trace($"wipe r{i}");
            _wiped[i] = true;
            _diskReport[DiskResponse.CorruptRefused]++;
            _diskReport.Disk.Add(disk.Counts);
            _disks[i] = null;
            Start(i);
            return;
        }

        if (armed is not { } at)
        {
            return;
        }

        disk.CorruptReadAt = null;
        if (disk.Counts[DiskEvent.CorruptReads] == corruptBefore)
        {
            _diskReport[DiskResponse.CorruptUnread]++;
        }
        else if (Reported(_logs[i]!, at.File))
        {
            _diskReport[DiskResponse.CorruptLogged]++;
        }
        else
        {
            _failures.Add($"replica {i} started after a corrupted read of {at.File} at byte {at.Offset} and reported nothing ({string.Join(" / ", _logs[i]!.Lines)})");
        }
    }

    private static bool Reported(SimReportLog log, string file)
    {
        string name = Path.GetFileName(file);
        const string Snapshot = "snapshot-";
        string? skipped = name.StartsWith(Snapshot, StringComparison.Ordinal) && long.TryParse(name.AsSpan(Snapshot.Length, 12), out long block)
            ? $"not using the snapshot of block {block}:" : null;
        return log.Lines.Exists(l => l.Contains(name, StringComparison.Ordinal) || (skipped is not null && l.Contains(skipped, StringComparison.Ordinal)));
    }

    // As node join leaves it before node run: the view that admitted the joiner, written durably on the joiner's own disk
    // (its start-up reads it through the storage seam).
    private void WriteBootstrapView(int joiner, View admitted)
    {
        SimulatedDisk disk = DiskOf(joiner);
        string data = DataDir(joiner);
        disk.CreateDirectory(data);
        using (IStorageFile file = disk.Open(Path.Combine(data, ReplicaHost.BootstrapViewFileName), StorageOpenMode.CreateNew))
        {
            file.Write(admitted.Encode());
            file.Flush();
            file.Sync();
        }

        disk.SyncDirectory(data);
    }

    // The incarnation dies where it stands: no loop ends, no file closes; nothing queued in its context runs.
    private void Drop(int i)
    {
        _network.Down(i);
        _hosts[i] = null;
        _completions[i] = null;
        _contexts[i]?.Kill();
    }

    // After the run (every replica stopped): a last power cut of every disk, faults disarmed, so the ledger checks read
    // exactly what survives; what was acknowledged must be there.
    private IStorage[] DisksAfterPowerCut(int[] replicas)
    {
        var disks = new IStorage[replicas.Length];
        for (int k = 0; k < replicas.Length; k++)
        {
            int i = replicas[k];
            SimulatedDisk disk = DiskOf(i);
            disk.FailSyncIn = 0;
            disk.CorruptReadIn = 0;
            disk.CorruptReadAt = null;
            _diskReport.Disk.Add(disk.Counts); // the run's faults, not this last cut
            disk.CrashPower();
            disks[k] = disk;
        }

        _disksCounted = true;
        return disks;
    }

    // The run's disk report, with the counts of the disks still in use (already added if the ledgers were checked).
    private SimDiskReport CountDisks()
    {
        if (!_disksCounted)
        {
            foreach (SimulatedDisk? disk in _disks)
            {
                if (disk is not null)
                {
                    _diskReport.Disk.Add(disk.Counts);
                }
            }
        }

        return _diskReport;
    }
}
