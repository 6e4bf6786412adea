using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node.Gateway;
using SmartChain.Node.Views;
using SmartChain.Reconfiguration;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Node.Execution;

/// <summary>
/// The execution loop, one component that owns its thread's state: decided batches in instance order, each executed
/// by the replicated state machine and turned into the next block, which goes to the ledger pipeline with the replies
/// it will release; platform queries, checkpoints and the blocks and snapshots state transfer hands over, in between.
/// It never waits for a block to become durable, so execution of batch i+1 overlaps persistence and certification of
/// block i. Others read its progress through the <see cref="ExecutionStatus"/> it publishes.
/// </summary>
internal sealed class Executor : IDisposable
{
    private static readonly ReadOnlyMemory<byte> NotExecuted = ReadOnlyMemory<byte>.Empty;
    private readonly GenesisDocument _genesis;
    private readonly LedgerMode _mode;
    private readonly ChannelReader<ExecutionItem> _items;
    private readonly ChannelWriter<LedgerInput> _ledger;
    private readonly ChannelWriter<NodeInput> _consensus;
    private readonly ReplicatedStateMachine _machine;
    private readonly ClientTable _executedClients;
    private readonly Checkpointer _checkpoints;
    private readonly NaiveLedger _naive;
    private readonly ReplyCache _replyCache;
    private readonly ViewHistory _history;
    private readonly ViewSigner _signer;
    private readonly IReplicaLinks _network;
    private readonly ClientGateway _gateway;
    private readonly Func<long, byte[]> _viewQuery;
    private readonly Func<View> _consensusView;
    private readonly ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _transferredCertificates;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _log;
    private BlockHeader _chainHead;
    private long _executed;
    private long _removedBy; // the block that removed this replica from the view (0: none); nothing is appended after it
    private ExecutionStatus _status;

    /// <summary>
    /// An executor that goes on from <paramref name="head"/> (instance <paramref name="executed"/>) as recovery left the
    /// state machine; <paramref name="executedClients"/> is the replay-protection table matching that state.
    /// </summary>
    public Executor(GenesisDocument genesis, ReplicaOptions options, string dataDir, ChannelReader<ExecutionItem> items, ChannelWriter<LedgerInput> ledger,
        ChannelWriter<NodeInput> consensus, ReplicatedStateMachine machine, BlockHeader head, long executed, ClientTable executedClients, Checkpointer checkpoints,
        ReplyCache replyCache, ViewHistory history, ViewSigner signer, IReplicaLinks network, ClientGateway gateway, Func<long, byte[]> viewQuery,
        Func<View> consensusView, ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> transferredCertificates, NodeMetrics metrics, ILogger log)
    {
        _genesis = genesis;
        _mode = options.Ledger;
        _items = items;
        _ledger = ledger;
        _consensus = consensus;
        _machine = machine;
        _chainHead = head;
        _executed = executed;
        _executedClients = executedClients;
        _checkpoints = checkpoints;
        _naive = new NaiveLedger(dataDir, options.Ledger);
        _replyCache = replyCache;
        _history = history;
        _signer = signer;
        _network = network;
        _gateway = gateway;
        _viewQuery = viewQuery;
        _consensusView = consensusView;
        _transferredCertificates = transferredCertificates;
        _metrics = metrics;
        _log = log;
        _status = new ExecutionStatus(executed, head, machine.View);
    }

    /// <summary>The latest status; read from any thread.</summary>
    public ExecutionStatus Status => Volatile.Read(ref _status);

    /// <summary>The snapshot being encoded, if any: awaited on stop so its file is whole.</summary>
    public Task PendingSnapshot => _checkpoints.Pending;

    /// <summary>The loop; ends when its channel completes or <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await ResumeAsync(stop);
        await foreach (ExecutionItem item in _items.ReadAllHereAsync(stop))
        {
            switch (item)
            {
                case ExecutionItem.Decided decided:
                    await ExecuteAsync(decided.Decision, stop);
                    break;
                case ExecutionItem.Query query:
                    AnswerQuery(query);
                    break;
                case ExecutionItem.Repeated repeated:
                    _gateway.Replies.Forget(repeated.Request.Digest);
                    await RepeatedAsync(repeated, stop);
                    break;
                case ExecutionItem.AppendCertified append:
                    await AppendCertifiedAsync(append.Block, stop);
                    break;
                case ExecutionItem.Restore restore:
                    await RestoreAsync(restore.At, restore.Snapshot, restore.Record, restore.Reconfiguration, stop);
                    break;
                case ExecutionItem.Barrier barrier:
                    barrier.Executed.TrySetResult((_chainHead.Number, _chainHead.Hash()));
                    break;
                case ExecutionItem.Refused refused:
                    _metrics.Rejected.Add(1);
                    ClientGateway.Reply(refused.Session, new ReplyMessage(refused.Request.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(refused.Reason)));
                    break;
            }

            Publish();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _naive.Dispose();

    private void Publish()
    {
        ExecutionStatus current = _status;
        if (current.Executed != _executed || !ReferenceEquals(current.Head, _chainHead) || !ReferenceEquals(current.View, _machine.View))
        {
            Volatile.Write(ref _status, new ExecutionStatus(_executed, _chainHead, _machine.View));
        }
    }

    private async Task ExecuteAsync(Decision decision, CancellationToken stop)
    {
        if (decision.Instance <= _executed || _removedBy != 0)
        {
            return; // installed by state transfer meanwhile; or this replica was removed, and its ledger ends there
        }

        var fresh = new List<SignedRequest>(decision.Batch.Count);
        for (int j = 0; j < decision.Batch.Count; j++)
        {
            if (decision.Fresh[j])
            {
                fresh.Add(decision.Batch[j]);
            }
        }

        long number = _chainHead.Number + 1;
        View certifiedBy = _machine.View;
        BatchOutcome outcome = _machine.Execute(new BatchContext(number, decision.Instance), fresh);
        IReadOnlyList<byte[]> results = outcome.Results;
        _metrics.DecidedInstances.Add(1);
        _metrics.BatchSize.Record(decision.Batch.Count);
        _metrics.Executed.Add(fresh.Count);
        _executed = decision.Instance;

        var entries = new ReadOnlyMemory<byte>[decision.Batch.Count];
        var blockResults = new ReadOnlyMemory<byte>[decision.Batch.Count];
        var replies = new ReplyMessage?[entries.Length];
        var waiting = new List<PendingReply>();
        int next = 0;
        long viewId = _machine.View.Id;
        for (int j = 0; j < entries.Length; j++)
        {
            SignedRequest request = decision.Batch[j];
            entries[j] = request.Encoded;
            if (decision.Fresh[j])
            {
                byte[] result = results[next];
                blockResults[j] = result;
                replies[j] = new ReplyMessage(request.Digest, ReplyStatus.Executed, decision.Instance, result)
                {
                    Block = number,
                    ViewId = viewId,
                    Attestation = outcome.SystemResults.Count == 0 ? default : VoteOn(outcome, next, certifiedBy),
                };
                next++;
            }
            else
            {
                blockResults[j] = NotExecuted;
            }

            if (_gateway.Replies.Forget(request.Digest) is { } session)
            {
                waiting.Add(new PendingReply(session, request, j));
            }
        }

        if (_mode != LedgerMode.Blockchain)
        {
            // The naive baselines reply at once, with no block to wait for.
            _naive.Append(decision, entries, blockResults);
            _replyCache.Release(replies, waiting, encodeWithReceipt: null);
            _metrics.Released.Add(entries.Length);
            return;
        }

        RecordExecuted(decision);
        BuiltBlock built = WithTransferredCertificate(BuiltBlock.Next(_chainHead, decision.Instance, entries, blockResults, decision.Proof.EncodeForBlock(decision.Regency),
            installsView: outcome.Installed is not null));
        _chainHead = built.Block.Header;
        if (outcome.Installed is { } installed)
        {
            ViewInstalled(number, certifiedBy, installed);
        }

        Publish(); // a block the ledger makes durable is in the published head first (state transfer waits on both)
        await _ledger.WriteAsync(new LedgerInput.Persist(built, replies, waiting) { Installed = outcome.Installed }, stop);
        if (decision.AwaitsView)
        {
            // The core orders nothing after this instance until it knows the view in force (the same one, or the new).
            await _consensus.WriteAsync(new NodeInput.ViewResolved(decision.Instance, _machine.View), stop);
        }

        await CheckpointIfDueAsync(decision.Instance, stop);
    }

    // The replay-protection table as execution sees it: the core's own table runs ahead (it records batches when they
    // are decided, before they are executed), so execution keeps the table that matches the state it holds.
    private void RecordExecuted(Decision decision)
    {
        bool[] fresh = _executedClients.Record(decision.Batch, decision.Instance);
        if (!fresh.SequenceEqual(decision.Fresh))
        {
            // Both tables are functions of the same decisions: a difference is a bug, and snapshots would diverge.
            throw new InvalidOperationException($"instance {decision.Instance}: execution's client table disagrees with the core's on which requests are fresh");
        }
    }

    // A crash can leave the block before a checkpoint block durable without the checkpoint block. Execution builds it
    // only right after executing the block before, which recovery replayed: build it now, or this replica stays there
    // for good (state transfer leaves checkpoint blocks to execution). Not if the head removed this replica.
    private async Task ResumeAsync(CancellationToken stop)
    {
        if (_mode != LedgerMode.Blockchain)
        {
            return;
        }

        if (ReconfigurationBlock.Installs(_chainHead) && _history.InstalledBy(_chainHead.Number) is { } installed &&
            _history.CertifyingView(_chainHead, out _) is { } before)
        {
            NoteRemoval(_chainHead.Number, before, installed);
        }

        await CheckpointIfDueAsync(_executed, stop);
    }

    private async Task CheckpointIfDueAsync(long instance, CancellationToken stop)
    {
        // A block that removed this replica is the last it builds: the members build the checkpoint block after it.
        if (_removedBy != 0 || !CheckpointBlock.IsCheckpoint(_chainHead.Number + 1, _genesis.CheckpointPeriod))
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        (long block, Hash256 hash, long size) = await _checkpoints.TakePendingAsync(); // encoded in the background during the period
        double waited = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var record = new CheckpointRecord(block, hash, size);
        BuiltBlock checkpoint = WithTransferredCertificate(CheckpointBlock.Build(_chainHead, instance, record));
        _chainHead = checkpoint.Block.Header;
        long number = checkpoint.Block.Header.Number;
        IStateView view = _machine.Application.CaptureState();
        ClientEntry[] clients = _executedClients.CaptureEntries();
        byte[] reconfiguration = _machine.Reconfiguration.Encode();
        double paused = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _metrics.SnapshotPause.Record(paused);
        NodeLog.Checkpoint(_log, number, block, size, hash.ToString()[..16], paused, waited);
        if (instance > _executed)
        {
            throw new Core.InvariantViolationException($"checkpoint block {number} records instance {instance}, beyond the executed instance {_executed}");
        }

        _checkpoints.Start(number, instance, clients, reconfiguration, view);
        Publish(); // a block the ledger makes durable is in the published head first (state transfer waits on both)
        await _ledger.WriteAsync(new LedgerInput.Persist(checkpoint, [], []), stop);
    }

    private async Task RepeatedAsync(ExecutionItem.Repeated repeated, CancellationToken stop)
    {
        if (_mode == LedgerMode.Blockchain)
        {
            await _ledger.WriteAsync(new LedgerInput.Repeated(repeated.Request, repeated.Session), stop);
        }
        else
        {
            ClientGateway.Reply(repeated.Session, _replyCache.Repeated(repeated.Request.Digest));
        }
    }

    private void AnswerQuery(ExecutionItem.Query query)
    {
        // An empty query asks only for the replica's status (clients put it into their timeout errors).
        QueryMessage message = query.Message;
        _gateway.Answer(query.Session, message, () => message.Body.IsEmpty ? []
            : _viewQuery(ViewQuery.DecodeQuery(message.Body.Span)));
    }

    // The vote on an approved JOIN (fresh index `index` of the batch), signed with this replica's key of the view it was approved in.
    private ReadOnlyMemory<byte> VoteOn(BatchOutcome outcome, int index, View view)
    {
        foreach ((int at, SystemResult result) in outcome.SystemResults)
        {
            if (at == index && result is { Code: SystemResultCode.Approved, Record: { } record } && record.ViewId == view.Id && _signer.KeyFor(view) is { } key)
            {
                return record.Sign(key);
            }
        }

        return default;
    }

    // Block `number` installed `installed`. New members are dialled now; leavers stay until it is certified.
    private void ViewInstalled(long number, View old, View installed)
    {
        _history.Add(number, installed);
        NoteRemoval(number, old, installed);
        _network.SetPeers([.. installed.Members, .. old.Members.Where(m => !installed.Contains(m.Id))]);
        string line = $"block {number} installs {installed} (members {installed.MemberList}; was {old}, members {old.MemberList})";
        NodeLog.ViewChange(_log, line);
    }

    // State transfer: a certified block the snapshot covers, appended as it is.
    private async Task AppendCertifiedAsync(Block block, CancellationToken stop)
    {
        long number = block.Header.Number;
        if (number <= _chainHead.Number || _removedBy != 0)
        {
            return;
        }

        if (number != _chainHead.Number + 1 || block.Header.HashLastBlock != _chainHead.Hash())
        {
            throw new InvalidOperationException($"state transfer handed block {number} to a replica whose head is block {_chainHead.Number}");
        }

        _chainHead = block.Header;
        if (!CheckpointBlock.IsCheckpoint(number, _genesis.CheckpointPeriod))
        {
            _executed = block.Body.ConsensusId;
        }

        // Not executed, so the view a reconfiguration block installs comes from the block (the verifier checked it).
        View? installed = null;
        if (ReconfigurationBlock.Installs(block.Header))
        {
            installed = _history.InstalledBy(number)
                ?? throw new InvalidOperationException($"state transfer handed reconfiguration block {number} before its view was verified");
            View before = _history.CertifyingView(block.Header, out _) ?? _consensusView();
            _network.SetPeers([.. installed.Members, .. before.Members.Where(m => !installed.Contains(m.Id))]);
            NoteRemoval(number, before, installed);
        }

        _metrics.TransferredBlocks.Add(1);
        Publish(); // a block the ledger makes durable is in the published head first (state transfer waits on both)
        await _ledger.WriteAsync(new LedgerInput.Persist(BuiltBlock.From(block), [], []) { Installed = installed }, stop);
    }

    // State transfer: the snapshot becomes the state after block `at` (a checkpoint block), whose record the next
    // checkpoint block repeats.
    private async Task RestoreAsync(Block at, ReplicaSnapshot snapshot, CheckpointRecord record, ReconfigurationState reconfiguration, CancellationToken stop)
    {
        if (at.Header.Number <= _chainHead.Number || _removedBy != 0)
        {
            return;
        }

        _machine.Application.RestoreSnapshot(snapshot.Application.Span);
        _machine.Reconfiguration = reconfiguration;
        _executedClients.Reset(snapshot.Clients);

        await AppendCertifiedAsync(at, stop);
        _executed = snapshot.ConsensusId;
        _checkpoints.Restored(record);
    }

    // Block `number` removed this replica (a member of `old`, not of `installed`): it signs or receives that block
    // certified and retires; a transfer or late decision bringing the new view's blocks is not taken.
    private void NoteRemoval(long number, View old, View installed)
    {
        int self = _signer.ReplicaId;
        if (_removedBy == 0 && old.Contains(self) && !installed.Contains(self))
        {
            _removedBy = number;
        }
    }

    // A block execution built where state transfer holds the certified one must be that block.
    private BuiltBlock WithTransferredCertificate(BuiltBlock built)
    {
        long number = built.Block.Header.Number;
        if (!_transferredCertificates.TryRemove(number, out var transferred))
        {
            return built;
        }

        if (transferred.Hash != built.Block.Hash)
        {
            throw new InvalidOperationException(
                $"block {number} built here hashes to {built.Block.Hash}, but the certified block received by state transfer is {transferred.Hash}: execution is not deterministic, or this replica's state is corrupt");
        }

        _metrics.TransferredBlocks.Add(1);
        return built.WithCertificate(transferred.Certificate);
    }
}
