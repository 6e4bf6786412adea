using System.Threading.Channels;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Requests;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// The consensus loop, on its dedicated thread: one input at a time into the core, then its Ready handled in order.
/// </summary>
public sealed partial class ReplicaHost
{
    private async Task ConsensusLoopAsync()
    {
        try
        {
            await foreach (NodeInput input in PrioritizedInputsAsync(_stop.Token))
            {
                ConsensusThreadInvariant();
                switch (input)
                {
                    case NodeInput.Tick:
                        ReportMalformed();
                        _core.Tick();
                        break;
                    case NodeInput.PeerMessage peer:
                        _network.Release(peer.From, peer.Bytes);
                        // While state transfer runs, the core decides only what the transfer hands it: votes and
                        // decisions of peers (even valid ones, such as votes a peer queued while this replica was
                        // down) wait; peers retransmit once the transfer ends.
                        if (!_holdDecisions || peer.Message is Fetch)
                        {
                            _core.Step(peer.From, peer.Message);
                        }

                        break;
                    case NodeInput.ClientRequest client:
                        await SubmitAsync(client);
                        break;
                    case NodeInput.ViewResolved resolved:
                        _core.ResumeAfter(resolved.Instance, resolved.View, _signer.KeyFor(resolved.View));
                        if (_barrierSince != 0)
                        {
                            // How long ordering waited for this replica's own execution of the view-changing instance.
                            double waited = System.Diagnostics.Stopwatch.GetElapsedTime(_barrierSince).TotalMilliseconds;
                            _metrics.ViewBarrier.Record(waited);
                            _barrierSince = 0;
                            string line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                                $"ordering resumed after instance {resolved.Instance} in {resolved.View} ({waited:0.0} ms at the barrier)");
                            NodeLog.ViewChange(_log, line);
                        }

                        break;
                    default:
                        await OnTransferInputAsync(input);
                        break;
                }

                await HandleReadyAsync(_core.TakeReady());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            // A failed fsync or an invariant violation: stop rather than continue inconsistent.
            NodeLog.ConsensusFailed(_log, e, Id, Status);
            await _stop.CancelAsync();
            throw;
        }
    }

    // Replies never leave from this thread: anything that must answer a client goes through the execution loop,
    // which hands it to the client's own send queue.
    private async Task SubmitAsync(NodeInput.ClientRequest client)
    {
        SignedRequest request = client.Request;
        PoolAddResult result = _core.Submit(request);
        ExecutionItem? answer = result switch
        {
            // Not a member yet (a joiner catching up) or any more: it orders nothing, but it answers the request if it
            // executes it (a JOIN needs the votes of new members too, once they have caught up).
            PoolAddResult.Added or PoolAddResult.AlreadyPending or PoolAddResult.NotMember => null,
            PoolAddResult.AlreadyDecided => new ExecutionItem.Repeated(request, client.Session),
            PoolAddResult.ConflictingSequence => new ExecutionItem.Refused(request, client.Session,
                $"another request of this client with sequence {request.Sequence} is pending; use a new sequence"),
            PoolAddResult.OutsideWindow => new ExecutionItem.Refused(request, client.Session, OutsideWindow(request)),
            _ => new ExecutionItem.Refused(request, client.Session, $"busy ({result}); retry later"),
        };
        if (answer is null)
        {
            _gateway.Replies.Track(request.Digest, client.Session);
        }
        else
        {
            await _execution.Writer.WriteAsync(answer, _stop.Token);
        }
    }

    // Expired for good, or ahead of what this replica has decided (it may be behind: the client may retry).
    private string OutsideWindow(SignedRequest request)
    {
        long next = _core.LastDecided + 1;
        long window = _core.Clients.Window;
        return request.NotBefore >= next
            ? $"not-before {request.NotBefore} is ahead of this replica's last decided instance {next - 1}; retry, or name an instance the network has decided"
            : $"expired: not-before {request.NotBefore} is more than {window} instances before instance {next}; sign again naming a recent instance";
    }

    private readonly Dictionary<string, long> _regencyChangesCounted = [];
    private long _barrierSince;

    // The core counts leader-change causes; the metrics get the increments (read here, on the core's own thread).
    private void CountRegencyChanges()
    {
        foreach ((string cause, long count) in _core.RegencyChanges)
        {
            long counted = _regencyChangesCounted.GetValueOrDefault(cause);
            if (count > counted)
            {
                _metrics.RegencyChanges.Add(count - counted, new KeyValuePair<string, object?>("cause", cause));
                _regencyChangesCounted[cause] = count;
            }
        }
    }

    // Checked in Release too: the core is single-threaded by contract.
    private void ConsensusThreadInvariant()
    {
        if (Environment.CurrentManagedThreadId != _consensusThread.ManagedThreadId)
        {
            throw new InvalidOperationException($"the consensus core ran on thread {Environment.CurrentManagedThreadId}, not on its own thread");
        }
    }

    private async Task HandleReadyAsync(Ready ready)
    {
        if (ready.IsEmpty)
        {
            return;
        }

        CountRegencyChanges();
        if (ready.Persist.Count > 0)
        {
            _votes.Append(ready.Persist);
            _votes.MaybeCompact(_ledgerPipeline.Status.DurableConsensusId);
        }

        foreach (OutboundMessage outbound in ready.Messages)
        {
            byte[] bytes = MessageCodec.Encode(outbound.Message);
            if (outbound.To is int to)
            {
                _network.Send(to, FrameType.Consensus, bytes);
            }
            else
            {
                _network.Broadcast(FrameType.Consensus, bytes);
            }
        }

        foreach ((int from, long instance) in ready.FetchesToServe)
        {
            _ledger.Writer.TryWrite(new LedgerInput.ServeFetch(from, instance));
        }

        foreach (Decision decision in ready.Decisions)
        {
            if (decision.AwaitsView)
            {
                _barrierSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            await _execution.Writer.WriteAsync(new ExecutionItem.Decided(decision), _stop.Token);
        }

        foreach (ConsensusEvent e in ready.Events)
        {
            if (e.IsEvidence)
            {
                NodeLog.Evidence(_log, e.From, e.Kind, e.Detail);
            }
            else if (e.Kind == "view-installed")
            {
                string line = "consensus: " + e.Detail;
                NodeLog.ViewChange(_log, line);
            }
            else
            {
                NodeLog.Refused(_log, e.From, e.Kind, e.Detail);
                if (e.Kind == "too-far-ahead")
                {
                    NoteFarAhead(e.From);
                }
            }
        }
    }
}
