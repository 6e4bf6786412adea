using System.Net;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Ledger.Store;
using SmartChain.Reconfiguration;
using View = SmartChain.Core.Views.View;

namespace SmartChain.Node.Startup;

/// <summary>
/// Start-up of a replica (SPEC §6), before any thread runs: opens the block store (writing genesis into a new one),
/// replays the ledger (<see cref="LedgerRecovery"/>), finds the views the ledger installed and which view keys to keep,
/// restores the votes of undecided instances from the vote log, and primes certificate collection with this replica's
/// signatures of the blocks still uncertified. The result is one <see cref="RecoveredReplica"/> the host builds its
/// components from.
/// </summary>
internal static class ReplicaStartup
{
    /// <summary>Refuses a key that is not the identity key the genesis view names for this replica.</summary>
    public static void CheckIdentity(NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key)
    {
        if (genesis.InitialView.TryGetMember(config.ReplicaId, out var member) && member!.PublicKey != key.PublicKey)
        {
            throw new InvalidOperationException($"replica {config.ReplicaId} of the genesis view has identity key {member.PublicKey}, not {key.PublicKey} (the key file in node.json)");
        }
    }

    /// <summary>Parses a <c>host:port</c> listen address of the node configuration (a name is resolved).</summary>
    public static IPEndPoint ParseEndpoint(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        string host = hostPort[..colon];
        IPAddress address = IPAddress.TryParse(host, out IPAddress? ip) ? ip : Dns.GetHostAddresses(host)[0];
        return new IPEndPoint(address, int.Parse(hostPort.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Rebuilds the replica's state from its data folder, running the application <paramref name="application"/> makes;
    /// <paramref name="verify"/> is how the consensus core checks a proposed request (the client gateway's cache).
    /// <paramref name="storage"/> holds the block store, snapshot files and vote log (the real disk unless a test
    /// simulates one; the key chain is always a real file).
    /// </summary>
    /// <exception cref="LedgerCorruptException">The ledger in the data folder does not check out.</exception>
    public static RecoveredReplica Recover(NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key, ApplicationFactory application,
        ReplicaOptions options, ILogger log, Func<SignedRequest, bool> verify, IStorage? storage = null)
    {
        storage ??= FileSystemStorage.Instance;
        IReplicatedApplication app = application(genesis) ?? throw new InvalidOperationException("the application factory returned no application");
        storage.CreateDirectory(config.DataDir);
        // The vote log too: a --ledger none run writes no naive ledger, and a baseline's vote log is compacted up to the
        // instance it executed (ReplicaHost.DurableConsensusId), so a restart would find neither its state nor its votes.
        if (options.Ledger != LedgerMode.Blockchain &&
            ((string[])[ReplicaHost.NaiveLedgerFileName, VoteLog.FileName]).FirstOrDefault(f => storage.FileExists(Path.Combine(config.DataDir, f))) is { } previous)
        {
            throw new InvalidOperationException(
                $"{config.DataDir} holds a previous run's {previous}; baselines are for benchmarks and cannot restart. Remove the data folder.");
        }

        BlockStore store = BlockStore.Open(config.DataDir, BlockStoreOptions.Default with { Storage = storage }, line => NodeLog.Storage(log, line));
        Views.ViewSigner? signer = null;
        try
        {
            if (store.Height < 0)
            {
                store.Append(Block.Genesis(genesis));
                store.Commit();
            }

            var consensusOptions = ConsensusOptions.From(genesis.Consensus);
            var clients = new ClientTable(consensusOptions.RequestWindow);
            var snapshots = new SnapshotStore(config.DataDir, storage: storage);
            var replies = new ReplyCache(200_000);
            signer = new Views.ViewSigner(config.ReplicaId, key, config.KeyChain is null ? null : Reconfiguration.Keys.ViewKeyChain.Open(config.KeyChain));
            Views.ViewSigner voter = signer;
            LedgerRecovery.Result recovered = LedgerRecovery.Run(store, Path.Combine(config.DataDir, BlockStore.FolderName), genesis, app, clients,
                replies, consensusOptions.RecentDecisions, snapshots, line => NodeLog.Transfer(log, line), (view, result) => VoteOn(voter, view, result));
            ClientTable executedClients = clients.Clone();

            var viewProofs = new Views.ViewProofs();
            Dictionary<long, (BuiltBlock Block, View Installed)> uncertifiedReconfigurations = [];
            ViewHistory history = LoadViews(store, genesis, config.DataDir, viewProofs, uncertifiedReconfigurations);
            View networkView = NetworkViewAtStart(config, recovered.Machine, history, uncertifiedReconfigurations, store, signer, log, storage);

            var core = new ReplicaCore(config.ReplicaId, recovered.Machine.View, genesis.ChainId, signer.KeyFor(recovered.Machine.View), consensusOptions, verify,
                recovered.LastConsensusId, clients);
            VoteLog votes = VoteLog.Open(Path.Combine(config.DataDir, VoteLog.FileName), recovered.LastConsensusId, out IReadOnlyList<VoteRecord> undecided,
                line => NodeLog.Storage(log, line), storage, options.VoteLogCompactBytes);
            core.RestoreVotes(undecided);
            foreach (Decision decision in recovered.Recent)
            {
                core.RememberDecided(decision);
            }

            var collector = new CertificateCollector(genesis.InitialView, genesis.ChainId, (from, block, detail) => NodeLog.BlockEvidence(log, from, block, detail));
            foreach ((long installedBy, View view) in history.After(-1))
            {
                collector.ViewFrom(installedBy + 1, view);
            }

            collector.SkipTo(store.Height);
            Dictionary<long, (Hash256 Hash, byte[] Signature)> mySignatures = [];
            foreach (long number in recovered.Uncertified)
            {
                Hash256 hash = store.Read(number).Hash;
                if (signer.KeyFor(collector.ViewAt(number)) is { } signing)
                {
                    byte[] signature = BlockCertificate.Sign(signing, genesis.ChainId, hash);
                    mySignatures[number] = (hash, signature);
                    collector.SetLocal(number, hash, (config.ReplicaId, signature));
                }
                else
                {
                    collector.SetLocal(number, hash);
                }
            }

            NodeLog.Recovered(log, config.ReplicaId, store.Height + 1, recovered.FromCheckpoint is { } from ? $"the snapshot of block {from}" : "genesis",
                recovered.Transactions, recovered.Elapsed.TotalSeconds, recovered.Uncertified.Count, recovered.LastConsensusId + 1);
            return new RecoveredReplica
            {
                App = app,
                Store = store,
                Snapshots = snapshots,
                Ledger = recovered,
                Replies = replies,
                ExecutedClients = executedClients,
                ConsensusCore = core,
                Votes = votes,
                RestoredVotes = undecided,
                History = history,
                ViewProofs = viewProofs,
                UncertifiedReconfigurations = uncertifiedReconfigurations,
                Signer = signer,
                NetworkView = networkView,
                Collector = collector,
                MySignatures = mySignatures,
            };
        }
        catch
        {
            signer?.Dispose();
            store.Dispose();
            throw;
        }
    }

    // This replica's vote on an approved JOIN (as execution signs it), if it still holds its key of the record's view.
    private static ReadOnlyMemory<byte> VoteOn(Views.ViewSigner signer, View view, ReadOnlyMemory<byte> result) =>
        Reconfiguration.State.SystemResult.TryDecode(result.Span, out _) is { Code: Reconfiguration.State.SystemResultCode.Approved, Record: { } record } &&
        record.ViewId == view.Id && signer.KeyFor(view) is { } key ? record.Sign(key) : default;

    // Every view this replica's ledger installed, found by walking the lastReconfig pointers back from the head, with the
    // proofs of those certified. The newest one, if uncertified, is kept until its certificate comes.
    private static ViewHistory LoadViews(BlockStore store, GenesisDocument genesisDocument, string dataDir, Views.ViewProofs viewProofs,
        Dictionary<long, (BuiltBlock Block, View Installed)> uncertifiedReconfigurations)
    {
        var history = new ViewHistory(genesisDocument.InitialView);
        var found = new List<Block>();
        for (long r = store.Read(store.Height).Header.LastReconfig; r > 0; r = store.Read(r - 1).Header.LastReconfig)
        {
            found.Add(store.Read(r));
        }

        found.Reverse();
        View current = genesisDocument.InitialView;
        foreach (Block block in found)
        {
            if (ReconfigurationBlock.ReadInstalledView(block, current, out View? next, out int entry) is { } bad)
            {
                throw new LedgerCorruptException(Path.Combine(dataDir, BlockStore.FolderName), block.Header.Number, bad);
            }

            history.Add(block.Header.Number, next!);
            if (block.Certificate is { } certificate)
            {
                viewProofs.Add(next!.Id, BuiltBlock.From(block).Receipt(entry, certificate).Encode());
            }
            else
            {
                uncertifiedReconfigurations[block.Header.Number] = (BuiltBlock.From(block), next!);
            }

            current = next!;
        }

        return history;
    }

    // A member keeps the keys of the view in force (and of the one before, while the block that ended it still waits for
    // its certificate); a replica removed from the view erases them all and does not start.
    private static View NetworkViewAtStart(NodeConfig config, ReplicatedStateMachine machine, ViewHistory history,
        Dictionary<long, (BuiltBlock Block, View Installed)> uncertifiedReconfigurations, BlockStore store, Views.ViewSigner signer, ILogger log, IStorage storage)
    {
        int id = config.ReplicaId;
        View view = machine.View;
        (long block, View latest) = history.Latest;
        if (view.Contains(id))
        {
            if (uncertifiedReconfigurations.ContainsKey(block) && history.CertifyingView(store.Read(block).Header, out _) is { } before && before.Contains(id))
            {
                signer.EraseBefore(before);
            }
            else
            {
                signer.EraseBefore(latest);
            }

            return view;
        }

        if (machine.Reconfiguration.FormerMembers.Contains(id))
        {
            signer.EraseAll();
            throw new InvalidOperationException($"replica {id} was removed from the network (it is not a member of {view}: {view.MemberList}); its view keys are erased. To take part again, join with a new id: smartchain node join");
        }

        string path = Path.Combine(config.DataDir, ReplicaHost.BootstrapViewFileName);
        View? bootstrap = storage.FileExists(path) ? View.Decode(storage.ReadAllBytes(path)) : null;
        if (bootstrap is null || !bootstrap.Contains(id) || bootstrap.Id <= view.Id)
        {
            throw new InvalidOperationException($"replica {id} is not a member of {view} (members {view.MemberList}), and {path} names no later view that admitted it; " +
                "a new replica joins with: smartchain node join");
        }

        string admitted = $"replica {id} was admitted in {bootstrap} (members {bootstrap.MemberList}); it catches up from view {view.Id} by state transfer before it orders";
        NodeLog.ViewChange(log, admitted);
        return bootstrap;
    }
}
