using System.Diagnostics;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Network;

namespace SmartChain.Node.Ordering;

/// <summary>The driver's outputs: a Ready handled in order, and what state transfer asks of the core.</summary>
internal sealed partial class ConsensusDriver
{
    private async Task HandleReadyAsync(Ready ready, CancellationToken stop)
    {
        if (ready.IsEmpty)
        {
            return;
        }

        CountRegencyChanges();
        if (ready.Persist.Count > 0)
        {
            _votes.Append(ready.Persist);
            _votes.MaybeCompact(_durableConsensusId());
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
            _ledger.TryWrite(new LedgerInput.ServeFetch(from, instance));
        }

        foreach (Decision decision in ready.Decisions)
        {
            if (decision.AwaitsView)
            {
                _barrierSince = Stopwatch.GetTimestamp();
            }

            if (decision.Instance <= _lastHandedOver)
            {
                throw new Core.InvariantViolationException($"instance {decision.Instance} decided after instance {_lastHandedOver} was handed to execution");
            }

            _lastHandedOver = decision.Instance;
            await _execution.WriteAsync(new ExecutionItem.Decided(decision), stop);
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

    // For each TOO-FAR-AHEAD refusal: more than f senders make it credible.
    private void NoteFarAhead(int from)
    {
        if (_seenFarAhead.Add(from) && _seenFarAhead.Count > _core.View.F)
        {
            _seenFarAhead.Clear();
            if (_requestTransfer())
            {
                string line = $"more than {_core.View.F} replicas are far ahead of instance {_core.LastDecided + 1}; starting state transfer";
                NodeLog.Transfer(_log, line);
            }
        }
    }

    // What state transfer asks of the core.
    private async Task OnTransferInputAsync(NodeInput input, CancellationToken stop)
    {
        switch (input)
        {
            case NodeInput.HoldDecisions hold:
                _holdDecisions = true;
                await _execution.WriteAsync(new ExecutionItem.Barrier(hold.Executed), stop);
                break;
            case NodeInput.ReleaseDecisions:
                _holdDecisions = false;
                break;
            case NodeInput.Jump jump:
                Core.Views.View view = jump.Reconfiguration.View;
                _core.JumpTo(jump.Snapshot.ConsensusId, jump.Regency, jump.Snapshot.Clients, view, _signer.KeyFor(view));

                // Before anything the jump decided: execution restores the snapshot first.
                await _execution.WriteAsync(new ExecutionItem.Restore(jump.At, jump.Snapshot, jump.Record, jump.Reconfiguration), stop);
                break;
            case NodeInput.Transferred transferred:
                _core.DeliverTransferred(transferred.Decision);
                break;
        }
    }
}
