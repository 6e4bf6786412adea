using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Node.Execution;
using SmartChain.Node.Pipeline;

namespace SmartChain.Node.Transfer;

/// <summary>
/// State transfer as a client (SPEC §6), on its own loop: once at start, and again whenever more than f peers are seen
/// far ahead (one trigger while a transfer runs, never a storm), a <see cref="StateTransfer"/> brings this replica near
/// the certified tip. It owns the running transfer and its triggers; what it needs of the replica
/// (<see cref="ITransferTarget"/>) it asks through messages — the consensus loop holds decisions, jumps or takes
/// transferred decisions, the execution loop appends certified blocks, the ledger attaches late certificates — and
/// reads from the snapshots the execution loop and the ledger pipeline publish.
/// </summary>
internal sealed class TransferCoordinator : ITransferTarget
{
    private readonly int _id;
    private readonly ReplicaPlatform _platform;
    private readonly GenesisDocument _genesis;
    private readonly TransferOptions _options;
    private readonly View _networkView;
    private readonly IReplicaLinks _network;
    private readonly SnapshotStore _snapshots;
    private readonly ViewHistory _history;
    private readonly ChannelWriter<NodeInput> _consensus;
    private readonly ChannelWriter<ExecutionItem> _execution;
    private readonly ChannelWriter<LedgerInput> _ledger;
    private readonly LedgerPipeline _ledgerPipeline;
    private readonly Func<ExecutionStatus> _executed;
    private readonly Func<View> _consensusView;
    private readonly ILogger _log;
    private readonly CancellationToken _stop;

    /// <summary>
    /// A coordinator for replica <paramref name="id"/>, admitted to <paramref name="networkView"/>; certificates of
    /// transferred blocks go into <paramref name="transferredCertificates"/>, which execution and the ledger take from.
    /// </summary>
    public TransferCoordinator(int id, GenesisDocument genesis, TransferOptions options, View networkView, IReplicaLinks network, SnapshotStore snapshots,
        ViewHistory history, ChannelWriter<NodeInput> consensus, ChannelWriter<ExecutionItem> execution, ChannelWriter<LedgerInput> ledger,
        LedgerPipeline ledgerPipeline, Func<ExecutionStatus> executed, Func<View> consensusView,
        ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> transferredCertificates, ILogger log, ReplicaPlatform platform, CancellationToken stop)
    {
        _platform = platform;
        _id = id;
        _genesis = genesis;
        _options = options;
        _networkView = networkView;
        _network = network;
        _snapshots = snapshots;
        _history = history;
        _consensus = consensus;
        _execution = execution;
        _ledger = ledger;
        _ledgerPipeline = ledgerPipeline;
        _executed = executed;
        _consensusView = consensusView;
        _transferredCertificates = transferredCertificates;
        _log = log;
        _stop = stop;
    }

    /// <summary>True while a transfer runs.</summary>
    public bool Running => _transfer is not null;

    private readonly Channel<bool> _transferTriggers = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _transferredCertificates;
    private volatile StateTransfer? _transfer;
    private int _transferWanted;

    private readonly TaskCompletionSource<TransferResult> _firstTransfer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the last state transfer did (null before one finished).</summary>
    public TransferResult? LastTransfer { get; private set; }

    /// <summary>Completes when the transfer a replica runs at start has finished (with nothing to do, often).</summary>
    public Task<TransferResult> FirstTransfer => _firstTransfer.Task;

    /// <summary>The loop: one transfer per trigger, the first at once; ends when the replica stops.</summary>
    public async Task RunAsync()
    {
        try
        {
            _transferTriggers.Writer.TryWrite(true); // once at start: a restarted replica may be far behind
            await foreach (bool _ in _transferTriggers.Reader.ReadAllHereAsync(_stop))
            {
                await RunTransferAsync();
                Volatile.Write(ref _transferWanted, 0); // later far-ahead evidence may start another
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
    }

    // Admitted by a view this replica has not reached yet (its state is of an older view it is not a member of).
    private bool Joining => !_executed().View.Contains(_id) && _networkView.Contains(_id);

    private async Task RunTransferAsync()
    {
        int unanswered = 0;
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan? retryIn = null;
            await HoldDecisionsAsync(); // peers' FETCH answers wait: the transfer decides how this replica catches up

            // A joiner transfers all the way, until it has the block that admitted it: blocks of views it was not in
            // can only come certified, since their members may have erased the keys to certify them again.
            bool joining = Joining;
            TransferOptions options = joining ? _options with { CatchUpThreshold = 0 } : _options;
            var transfer = new StateTransfer(_genesis, _id, (to, message) => _network.Send(to, FrameType.StateTransfer, message.Encode()), this,
                options, line => NodeLog.Transfer(_log, line), (from, reason) => NodeLog.TransferSourceDropped(_log, from, reason), _platform);
            _transfer = transfer;
            try
            {
                LastTransfer = await transfer.RunAsync(_stop);
                string summary = "state transfer: " + LastTransfer.Summary;
                NodeLog.Transfer(_log, summary);
                if (joining && Joining)
                {
                    // The peers have not certified the block that admitted this replica yet: ask again shortly.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _platform.Time, _stop);
                    continue;
                }

                _firstTransfer.TrySetResult(LastTransfer);
                if (!LastTransfer.NoVerifiableTip || _network.Peers.Count == 0)
                {
                    return;
                }

                // Nobody vouched for a tip (links still coming up, peers down or partitioned): this replica may be far
                // behind, even in an older view, and nothing else would start another transfer. Ask again, backing off.
                retryIn = NoTipBackoff(++unanswered);
                string again = $"state transfer: no verifiable tip after {unanswered} attempt(s); asking the peers again in {retryIn.Value.TotalSeconds:0.#} s";
                NodeLog.Transfer(_log, again);
            }
            catch (TransferException e)
            {
                NodeLog.Storage(_log, $"state transfer attempt {attempt} failed: {e.Message}; trying again with every peer");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), _platform.Time, _stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Everything from peers is verified before use, so this is a bug; still, peer data must never end this loop.
                NodeLog.Storage(_log, $"state transfer attempt {attempt} failed unexpectedly ({e.GetType().Name}: {e.Message}); trying again with every peer");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), _platform.Time, _stop);
            }
            finally
            {
                _transfer = null;
                await _consensus.WriteAsync(new NodeInput.ReleaseDecisions(), CancellationToken.None);
            }

            if (retryIn is { } wait)
            {
                await Task.Delay(wait, _platform.Time, _stop); // decisions flow meanwhile: this replica may be only a little behind
            }
        }
    }

    /// <summary>Wait before asking for tips again after the <paramref name="unanswered"/>th round nobody answered: 0.5 s doubling, at most 10 s.</summary>
    internal static TimeSpan NoTipBackoff(int unanswered) => TimeSpan.FromMilliseconds(Math.Min(10_000, 500 * (1L << Math.Min(unanswered - 1, 16))));

    /// <summary>Called on the consensus thread once more than f peers are seen far ahead: one trigger while a transfer runs, never a storm.</summary>
    public bool TryRequest() =>
        _transfer is null && Interlocked.CompareExchange(ref _transferWanted, 1, 0) == 0 && _transferTriggers.Writer.TryWrite(true);

    (long Number, Hash256 Hash) ITransferTarget.Head
    {
        get
        {
            BlockHeader head = _executed().Head;
            return (head.Number, head.Hash());
        }
    }

    long ITransferTarget.InViewId => _executed().View.Id;

    long ITransferTarget.HeadConsensusId => _executed().Executed;

    SnapshotStore ITransferTarget.Snapshots => _snapshots;

    IReadOnlyCollection<int> ITransferTarget.Peers => _network.Peers;

    int ITransferTarget.TipQuorum => Math.Max(1, Quorums.Quorum(_network.Peers.Count + 1) - 1);

    ViewHistory ITransferTarget.Views => _history;

    Task<(long Number, Hash256 Hash)> ITransferTarget.SettleAsync(CancellationToken cancellationToken) => HoldDecisionsAsync();

    private async Task<(long Number, Hash256 Hash)> HoldDecisionsAsync()
    {
        var executed = new TaskCompletionSource<(long, Hash256)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _consensus.WriteAsync(new NodeInput.HoldDecisions(executed), _stop);
        return await executed.Task.InContext().WaitAsync(_stop);
    }

    async ValueTask ITransferTarget.AppendWithoutExecutingAsync(Block block, CancellationToken cancellationToken) =>
        await _execution.WriteAsync(new ExecutionItem.AppendCertified(block), cancellationToken);

    async ValueTask ITransferTarget.InstallSnapshotAsync(Block at, ReplicaSnapshot snapshot, CheckpointRecord record, int regency, CancellationToken cancellationToken)
    {
        Reconfiguration.State.ReconfigurationState reconfiguration;
        try
        {
            reconfiguration = Reconfiguration.State.ReconfigurationState.Decode(snapshot.Reconfiguration.Span, _genesis);
        }
        catch (Core.Encoding.EncodingException e)
        {
            throw new TransferException($"the snapshot of block {at.Header.Number} matches its certified hash, but its reconfiguration state does not decode: {e.Message}");
        }

        await _consensus.WriteAsync(new NodeInput.Jump(at, snapshot, record, regency, reconfiguration), cancellationToken);
    }

    async ValueTask ITransferTarget.ReplayAsync(Block block, CancellationToken cancellationToken)
    {
        _transferredCertificates[block.Header.Number] = (block.Hash, block.Certificate!);
        if (CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod))
        {
            // Execution builds it after the block before, and takes the certificate from here; but when the block
            // before ended a range, execution may have built it already, before this certificate came. Nobody can
            // certify it again later (the signers may have erased that view's keys), so the ledger attaches this one.
            await _ledger.WriteAsync(new LedgerInput.TransferredCertificate(block.Header.Number, block.Hash, block.Certificate!), cancellationToken);
            return;
        }

        var batch = new SignedRequest[block.Body.Entries.Count];
        for (int j = 0; j < batch.Length; j++)
        {
            batch[j] = SignedRequest.Decode(block.Body.Entries[j]);
        }

        (int regency, DecisionProof proof) = DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span);
        long viewId = _history.CertifyingView(block.Header, out _)?.Id ?? _consensusView().Id;
        var decision = new DecisionMessage(viewId, block.Body.ConsensusId, regency, batch, proof);
        await _consensus.WriteAsync(new NodeInput.Transferred(decision), cancellationToken);
    }

    Task ITransferTarget.WaitForDurableAsync(long number, CancellationToken cancellationToken) =>
        _ledgerPipeline.WaitForAsync(static s => s.CommittedHeight, number, cancellationToken);

    /// <summary>A state-transfer answer from a peer (peer pump), for the transfer running now if any.</summary>
    public void Deliver(int from, TransferMessage answer) => _transfer?.Deliver(from, answer);
}
