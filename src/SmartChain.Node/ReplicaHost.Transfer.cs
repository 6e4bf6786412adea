using System.Collections.Concurrent;
using System.Threading.Channels;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Network;
using SmartChain.Node.Transfer;

namespace SmartChain.Node;

/// <summary>
/// State transfer, both ways (SPEC §6). As a client: once at start, and again whenever more than f peers are seen far
/// ahead (one trigger while a transfer runs, never a storm), a <see cref="StateTransfer"/> brings this replica near
/// the certified tip. As a server: tips and block ranges from the ledger loop (which owns the store), snapshot
/// chunks from the snapshot files.
/// </summary>
public sealed partial class ReplicaHost : ITransferTarget
{
    private readonly Channel<bool> _transferTriggers = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _transferredCertificates = new();
    private volatile StateTransfer? _transfer;
    private int _transferWanted;

    private readonly TaskCompletionSource<TransferResult> _firstTransfer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the last state transfer did (null before one finished).</summary>
    internal TransferResult? LastTransfer { get; private set; }

    /// <summary>Completes when the transfer a replica runs at start has finished (with nothing to do, often).</summary>
    internal Task<TransferResult> FirstTransfer => _firstTransfer.Task;

    private async Task TransferLoopAsync()
    {
        try
        {
            _transferTriggers.Writer.TryWrite(true); // once at start: a restarted replica may be far behind
            await foreach (bool _ in _transferTriggers.Reader.ReadAllAsync(_stop.Token))
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
    private bool Joining => !_executor.Status.View.Contains(Id) && _networkView.Contains(Id);

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
            TransferOptions options = joining ? _options.Transfer with { CatchUpThreshold = 0 } : _options.Transfer;
            var transfer = new StateTransfer(_genesis, Id, (to, message) => _network.Send(to, FrameType.StateTransfer, message.Encode()), this,
                options, line => NodeLog.Transfer(_log, line), (from, reason) => NodeLog.TransferSourceDropped(_log, from, reason));
            _transfer = transfer;
            try
            {
                LastTransfer = await transfer.RunAsync(_stop.Token);
                string summary = "state transfer: " + LastTransfer.Summary;
                NodeLog.Transfer(_log, summary);
                if (joining && Joining)
                {
                    // The peers have not certified the block that admitted this replica yet: ask again shortly.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token);
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
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), _stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Everything from peers is verified before use, so this is a bug; still, peer data must never end this loop.
                NodeLog.Storage(_log, $"state transfer attempt {attempt} failed unexpectedly ({e.GetType().Name}: {e.Message}); trying again with every peer");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), _stop.Token);
            }
            finally
            {
                _transfer = null;
                await _inputs.Writer.WriteAsync(new NodeInput.ReleaseDecisions(), CancellationToken.None);
            }

            if (retryIn is { } wait)
            {
                await Task.Delay(wait, _stop.Token); // decisions flow meanwhile: this replica may be only a little behind
            }
        }
    }

    /// <summary>Wait before asking for tips again after the <paramref name="unanswered"/>th round nobody answered: 0.5 s doubling, at most 10 s.</summary>
    internal static TimeSpan NoTipBackoff(int unanswered) => TimeSpan.FromMilliseconds(Math.Min(10_000, 500 * (1L << Math.Min(unanswered - 1, 16))));

    // Called on the consensus thread once more than f peers are seen far ahead: one trigger while a transfer runs, never a storm.
    private bool TryRequestTransfer() =>
        _transfer is null && Interlocked.CompareExchange(ref _transferWanted, 1, 0) == 0 && _transferTriggers.Writer.TryWrite(true);

    (long Number, Hash256 Hash) ITransferTarget.Head
    {
        get
        {
            BlockHeader head = _executor.Status.Head;
            return (head.Number, head.Hash());
        }
    }

    long ITransferTarget.InViewId => _executor.Status.View.Id;

    long ITransferTarget.HeadConsensusId => _executor.Status.Executed;

    SnapshotStore ITransferTarget.Snapshots => _snapshots;

    IReadOnlyCollection<int> ITransferTarget.Peers => _network.Peers;

    int ITransferTarget.TipQuorum => Math.Max(1, Core.Views.Quorums.Quorum(_network.Peers.Count + 1) - 1);

    Ledger.Reconfiguration.ViewHistory ITransferTarget.Views => _history;

    Task<(long Number, Hash256 Hash)> ITransferTarget.SettleAsync(CancellationToken cancellationToken) => HoldDecisionsAsync();

    private async Task<(long Number, Hash256 Hash)> HoldDecisionsAsync()
    {
        var executed = new TaskCompletionSource<(long, Hash256)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inputs.Writer.WriteAsync(new NodeInput.HoldDecisions(executed), _stop.Token);
        return await executed.Task.WaitAsync(_stop.Token);
    }

    async ValueTask ITransferTarget.AppendWithoutExecutingAsync(Block block, CancellationToken cancellationToken) =>
        await _execution.Writer.WriteAsync(new ExecutionItem.AppendCertified(block), cancellationToken);

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

        await _inputs.Writer.WriteAsync(new NodeInput.Jump(at, snapshot, record, regency, reconfiguration), cancellationToken);
    }

    async ValueTask ITransferTarget.ReplayAsync(Block block, CancellationToken cancellationToken)
    {
        _transferredCertificates[block.Header.Number] = (block.Hash, block.Certificate!);
        if (CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod))
        {
            // Execution builds it after the block before, and takes the certificate from here; but when the block
            // before ended a range, execution may have built it already, before this certificate came. Nobody can
            // certify it again later (the signers may have erased that view's keys), so the ledger attaches this one.
            await _ledger.Writer.WriteAsync(new LedgerInput.TransferredCertificate(block.Header.Number, block.Hash, block.Certificate!), cancellationToken);
            return;
        }

        var batch = new SignedRequest[block.Body.Entries.Count];
        for (int j = 0; j < batch.Length; j++)
        {
            batch[j] = SignedRequest.Decode(block.Body.Entries[j]);
        }

        (int regency, DecisionProof proof) = DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span);
        long viewId = _history.CertifyingView(block.Header, out _)?.Id ?? _driver.Status.View.Id;
        var decision = new DecisionMessage(viewId, block.Body.ConsensusId, regency, batch, proof);
        await _inputs.Writer.WriteAsync(new NodeInput.Transferred(decision), cancellationToken);
    }

    Task ITransferTarget.WaitForDurableAsync(long number, CancellationToken cancellationToken) => WaitForCommittedAsync(number, cancellationToken);
}
