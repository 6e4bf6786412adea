using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// The execution loop: decided batches in instance order, each executed and turned into the next block, which goes to
/// the ledger loop with the replies it will release; queries between batches. It never waits for a block to become
/// durable, so execution of batch i+1 overlaps persistence and certification of block i.
/// </summary>
public sealed partial class ReplicaHost
{
    private static readonly ReadOnlyMemory<byte> NotExecuted = ReadOnlyMemory<byte>.Empty;

    private async Task ExecutionLoopAsync()
    {
        try
        {
            await foreach (ExecutionItem item in _execution.Reader.ReadAllAsync(_stop.Token))
            {
                switch (item)
                {
                    case ExecutionItem.Decided decided:
                        await ExecuteAsync(decided.Decision);
                        break;
                    case ExecutionItem.Query query:
                        AnswerQuery(query);
                        break;
                    case ExecutionItem.Repeated repeated:
                        _gateway.Replies.Forget(repeated.Request.Digest);
                        await RepeatedAsync(repeated);
                        break;
                    case ExecutionItem.AppendCertified append:
                        await AppendCertifiedAsync(append.Block);
                        break;
                    case ExecutionItem.Restore restore:
                        await RestoreAsync(restore.At, restore.Snapshot, restore.Record, restore.Reconfiguration);
                        break;
                    case ExecutionItem.Barrier barrier:
                        barrier.Executed.TrySetResult((_chainHead.Number, _chainHead.Hash()));
                        break;
                    case ExecutionItem.Refused refused:
                        _metrics.Rejected.Add(1);
                        Gateway.ClientGateway.Reply(refused.Session, new ReplyMessage(refused.Request.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(refused.Reason)));
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private async Task ExecuteAsync(Decision decision)
    {
        if (decision.Instance <= Interlocked.Read(ref _executed))
        {
            return; // installed by state transfer meanwhile
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
        Core.Views.View certifiedBy = _machine.View;
        Reconfiguration.BatchOutcome outcome = _machine.Execute(new BatchContext(number, decision.Instance), fresh);
        IReadOnlyList<byte[]> results = outcome.Results;
        _metrics.DecidedInstances.Add(1);
        _metrics.BatchSize.Record(decision.Batch.Count);
        _metrics.Executed.Add(fresh.Count);
        Interlocked.Exchange(ref _executed, decision.Instance);

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

        if (_options.Ledger != LedgerMode.Blockchain)
        {
            ReplyAtOnce(decision, entries, blockResults, replies, waiting);
            return;
        }

        RecordExecuted(decision);
        BuiltBlock built = WithTransferredCertificate(BuiltBlock.Next(_chainHead, decision.Instance, entries, blockResults, decision.Proof.EncodeForBlock(decision.Regency),
            installsView: outcome.Installed is not null));
        _chainHead = built.Block.Header;
        if (outcome.Installed is { } installed)
        {
            ViewInstalledByExecution(number, certifiedBy, installed);
        }

        await _ledger.Writer.WriteAsync(new LedgerInput.Persist(built, replies, waiting) { Installed = outcome.Installed }, _stop.Token);
        if (decision.AwaitsView)
        {
            // The core orders nothing after this instance until it knows the view in force (the same one, or the new).
            await _inputs.Writer.WriteAsync(new NodeInput.ViewResolved(decision.Instance, _machine.View), _stop.Token);
        }

        await CheckpointIfDueAsync(decision.Instance);
    }

    private async Task RepeatedAsync(ExecutionItem.Repeated repeated)
    {
        if (_options.Ledger == LedgerMode.Blockchain)
        {
            await _ledger.Writer.WriteAsync(new LedgerInput.Repeated(repeated.Request, repeated.Session), _stop.Token);
        }
        else
        {
            Gateway.ClientGateway.Reply(repeated.Session, _replyCache.Repeated(repeated.Request.Digest));
        }
    }

    private void AnswerQuery(ExecutionItem.Query query)
    {
        // An empty query asks only for the replica's status (clients put it into their timeout errors).
        QueryMessage message = query.Message;
        _gateway.Answer(query.Session, message, () => message.Body.IsEmpty ? []
            : AnswerViewQuery(Ledger.Reconfiguration.ViewQuery.DecodeQuery(message.Body.Span)));
    }

    // The leader is read off the consensus thread: a stale value only makes one progress line late.
    private QueryResultMessage Describe(QueryMessage query, byte[] body) =>
        new(query.QueryId, Interlocked.Read(ref _executed), _network.ConnectedPeers, body)
        {
            BlockHeight = Volatile.Read(ref _chainHead).Number,
            Leader = _driver.Status.Leader,
            Regency = _driver.Status.Regency,
            ViewId = _machine.View.Id,
        };
}
