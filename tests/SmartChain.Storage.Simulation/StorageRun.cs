using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Ledger.Store;
using SmartChain.Node;
using SmartChain.Node.Startup;
using SmartChain.TestSupport;

namespace SmartChain.Storage.Simulation;

/// <summary>
/// One seeded crash-restart run of a replica's real storage and recovery code (block store with group commit, vote
/// log, snapshot files, <see cref="ReplicaStartup.Recover"/>) over a <see cref="SimulatedDisk"/>. Each epoch restarts
/// the replica from its files (checking <see cref="RecoveryCheck"/>), appends votes, blocks, certificates and
/// snapshots in seeded groups with a group commit each, and ends in a crash: a power cut (unsynced data lost, torn or
/// zero-filled) or a process crash (page cache kept). Seeded faults: an fsync that fails during the work (the replica
/// must stop, reporting nothing durable) and a read that returns a flipped bit during recovery (which must be refused
/// with a report, or, for a snapshot file, logged and not used; a clean restart after it must find everything).
/// </summary>
internal sealed class StorageRun
{
    private const string DataDir = "/sim/replica-0";
    private readonly Random _random;
    private readonly SimulatedDisk _disk;
    private readonly StorageChain _chain = StorageChain.Instance;
    private readonly Durable _durable = new();
    private readonly LineLogger _log = new();
    private readonly List<string> _trace = [];

    private StorageRun(int seed)
    {
        _random = new Random(seed);
        _disk = new SimulatedDisk(new Random(unchecked((seed * 7919) + 1)));
    }

    /// <summary>Runs seed <paramref name="seed"/>; never throws for an invariant, it returns the failure.</summary>
    public static StorageRunResult Run(int seed)
    {
        var run = new StorageRun(seed);
        try
        {
            run.Execute();
            return new StorageRunResult(seed, null, run._disk.Counts, run._trace);
        }
        catch (InvariantViolation e)
        {
            return new StorageRunResult(seed, e.Message, run._disk.Counts, run._trace);
        }
        catch (Exception e)
        {
            return new StorageRunResult(seed, $"unexpected {e.GetType().Name}: {e.Message}", run._disk.Counts, run._trace);
        }
    }

    private void Execute()
    {
        int epochs = _random.Next(2, 6);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            _trace.Add($"epoch {epoch}");
            RecoveredReplica replica = Restart(faults: true);
            try
            {
                Work(replica);
            }
            finally
            {
                Close(replica);
            }

            Crash();
        }

        _trace.Add("final restart");
        Close(Restart(faults: false));
    }

    private RecoveredReplica Restart(bool faults)
    {
        if (faults && _random.NextDouble() < 0.3)
        {
            _disk.CorruptReadIn = _random.Next(1, 40);
            _trace.Add($"  armed: read {_disk.CorruptReadIn} of recovery returns a flipped bit");
        }

        else if (faults && _random.NextDouble() < 0.1)
        {
            _disk.FailSyncIn = _random.Next(1, 4);
            _trace.Add($"  armed: fsync {_disk.FailSyncIn} of recovery fails");
        }

        long corruptBefore = _disk.Counts[DiskEvent.CorruptReads];
        long failedBefore = _disk.Counts[DiskEvent.FailedSyncs];
        int logFrom = _log.Lines.Count;
        RecoveredReplica replica;
        try
        {
            replica = Recover();
        }
        catch (Exception e) when (_disk.Counts[DiskEvent.CorruptReads] > corruptBefore && e is LedgerCorruptException or InvalidDataException)
        {
            (string file, long offset) = _disk.LastCorruption!.Value;
            _trace.Add($"  recovery refused after a flipped bit in {file} at {offset}: {e.Message}");
            if (e is LedgerCorruptException corrupt && (corrupt.BlockNumber < 0 || !e.Message.Contains($"block {corrupt.BlockNumber}", StringComparison.Ordinal)))
            {
                throw new InvariantViolation($"(c) a corrupted read was refused without naming the block: {e.Message}");
            }

            _disk.Counts[DiskEvent.CorruptionsReported]++;
            _disk.CorruptReadIn = 0;
            return Restart(faults: false); // the refusal must have changed nothing: a clean read finds it all
        }
        catch (IOException e) when (_disk.Counts[DiskEvent.FailedSyncs] > failedBefore)
        {
            // A replica whose start-up cannot make its files durable stops; it is started again after a crash.
            _trace.Add($"  recovery stopped: {e.Message}");
            _disk.FailSyncIn = 0;
            Crash();
            return Restart(faults: false);
        }
        catch (Exception e) when (_disk.Counts[DiskEvent.CorruptReads] > corruptBefore)
        {
            throw new InvariantViolation($"(c) a flipped bit in {_disk.LastCorruption} made recovery fail with {e.GetType().Name}, not a report: {e.Message}");
        }

        _disk.CorruptReadIn = 0;
        _disk.FailSyncIn = 0;
        _disk.Counts[DiskEvent.Recoveries]++;
        if (_disk.Counts[DiskEvent.CorruptReads] > corruptBefore)
        {
            (string file, long offset) = _disk.LastCorruption!.Value;
            bool snapshot = file.Contains("/checkpoints/", StringComparison.Ordinal);
            if (!snapshot || !_log.Lines.Skip(logFrom).Any(l => l.Contains("not using the snapshot", StringComparison.Ordinal)))
            {
                Close(replica);
                throw new InvariantViolation($"(c) a flipped bit in {file} at offset {offset} was read and recovery went on without reporting it");
            }

            _trace.Add($"  a flipped bit in {file} was logged and the snapshot not used");
            _disk.Counts[DiskEvent.CorruptSnapshotsSkipped]++;
        }

        if (_disk.Counts[DiskEvent.FailedSyncs] > failedBefore)
        {
            throw new InvariantViolation("recovery went on after an fsync failed");
        }

        _trace.Add($"  recovered: height {replica.Store.Height}, decided {replica.Ledger.LastConsensusId}, {replica.RestoredVotes.Count} votes restored (durable height was {_durable.Height})");
        try
        {
            RecoveryCheck.Run(replica, _durable, _disk, _chain, DataDir);
        }
        catch
        {
            Close(replica);
            throw;
        }

        return replica;
    }

    private RecoveredReplica Recover()
    {
        var config = new NodeConfig(0, "genesis.json", "127.0.0.1:1", "127.0.0.1:2", DataDir, "key.json");
        using Ed25519KeyPair key = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)60, 32).ToArray());
        return ReplicaStartup.Recover(config, _chain.Genesis, key, _ => new DigestApplication(), new ReplicaOptions(), _log, _ => true, _disk);
    }

    private void Work(RecoveredReplica replica)
    {
        BlockStore store = replica.Store;
        var uncertified = new List<long>(replica.Ledger.Uncertified);
        if (_random.NextDouble() < 0.25)
        {
            _disk.FailSyncIn = _random.Next(1, 12);
            _trace.Add($"  armed: fsync {_disk.FailSyncIn} from now fails");
        }

        long failedBefore = _disk.Counts[DiskEvent.FailedSyncs];
        int groups = _random.Next(0, 6);
        try
        {
            for (int group = 0; group < groups && store.Height < StorageChain.Length; group++)
            {
                var certificates = new List<long>();
                int blocks = _random.Next(1, 5);
                for (int i = 0; i < blocks && store.Height < StorageChain.Length; i++)
                {
                    int n = (int)store.Height + 1;
                    if (_chain.Votes[n].Length > 0)
                    {
                        replica.Votes.Append(_chain.Votes[n]); // persist, then send: fsynced before the block can exist
                        _durable.Votes.AddRange(_chain.Votes[n]);
                    }

                    bool certified = _random.NextDouble() < 0.6;
                    store.Append(certified ? _chain.Blocks[n] with { Certificate = _chain.Certificates[n] } : _chain.Blocks[n]);
                    (certified ? certificates : uncertified).Add(n);
                }

                if (uncertified.Count > 0 && _random.NextDouble() < 0.5)
                {
                    long late = uncertified[_random.Next(uncertified.Count)];
                    if (late <= store.Height && late > 0)
                    {
                        store.AppendCertificate(late, _chain.Certificates[(int)late]!);
                        uncertified.Remove(late);
                        certificates.Add(late);
                    }
                }

                long before = _durable.Height;
                store.Commit();
                _durable.Height = store.CommittedHeight;
                _durable.Certificates.UnionWith(certificates);
                _disk.Counts[DiskEvent.BlocksCommitted] += _durable.Height - before;
                _trace.Add($"  committed up to block {_durable.Height}");
                for (long c = before + 1; c <= _durable.Height; c++)
                {
                    if (_chain.Snapshots.TryGetValue(c, out byte[]? snapshot) && _random.NextDouble() < 0.8)
                    {
                        replica.Snapshots.Write(c, snapshot);
                        _durable.Snapshots.Add(c);
                    }
                }
            }
        }
        catch (IOException e) when (_disk.Counts[DiskEvent.FailedSyncs] > failedBefore)
        {
            _trace.Add($"  stopped: {e.Message}"); // the replica stops on a failed fsync; nothing since is durable
        }

        _disk.FailSyncIn = 0;
    }

    private void Crash()
    {
        if (_random.NextDouble() < 0.65)
        {
            _disk.CrashPower();
            _trace.Add("  power cut");
        }
        else
        {
            _disk.CrashProcess();
            _trace.Add("  process crash");
        }
    }

    private static void Close(RecoveredReplica replica)
    {
        replica.Votes.Dispose();
        replica.Store.Dispose();
        replica.Signer.Dispose();
    }
}
