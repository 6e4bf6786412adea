using SmartChain.Core.Application;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Reconfiguration;

/// <summary>
/// Everything a replica executes: the application, and the platform's own system operations (reconfiguration), which
/// the application never sees. A decided batch is executed in order; runs of application requests go to the application
/// as sub-batches, each system request to the <see cref="ReconfigurationState"/>. At most one view change per batch: a
/// later system request of the same batch is refused. Used alike by replicas and by the ledger verifier's re-execution.
/// </summary>
public sealed class ReplicatedStateMachine
{
    private readonly string _chainId;

    /// <summary>Executes onto <paramref name="application"/> and <paramref name="reconfiguration"/>.</summary>
    public ReplicatedStateMachine(string chainId, IReplicatedApplication application, ReconfigurationState reconfiguration)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(reconfiguration);
        _chainId = chainId;
        Application = application;
        Reconfiguration = reconfiguration;
    }

    /// <summary>The application.</summary>
    public IReplicatedApplication Application { get; }

    /// <summary>The reconfiguration state (replaced when a snapshot is restored).</summary>
    public ReconfigurationState Reconfiguration { get; set; }

    /// <summary>The view in force after the last executed batch.</summary>
    public View View => Reconfiguration.View;

    /// <summary>What may be ordered: a system request's signature and shape; anything else, the application's CheckTx.</summary>
    public TxCheck CheckTx(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SystemOperation.IsSystem(request.Operation.Span))
        {
            return Application.CheckTx(request);
        }

        return ReconfigurationOperation.CheckTx(request, _chainId) is { } problem ? TxCheck.Refuse((byte)SystemResultCode.Rejected, problem) : TxCheck.Ok;
    }

    /// <summary>
    /// A client's request that may change the view makes every replica pause ordering until it is executed, so a replica
    /// admits one from a client only if it could succeed now: a LEAVE or EXCLUDE signed by a member's identity key, a join
    /// certificate with Q valid votes of the current view. Null if admitted, else why not. This depends on the view, so it
    /// is a filter at the door only; proposals are checked with <see cref="CheckTx"/>, which every replica computes alike.
    /// Application requests go to the application's own door filter (<see cref="IReplicatedApplication.Admit"/>).
    /// </summary>
    public string? Admit(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SystemOperation.IsSystem(request.Operation.Span))
        {
            return Application.Admit(request);
        }

        if (!SystemOperation.MayChangeView(request.Operation.Span))
        {
            return null;
        }

        View view = Reconfiguration.View;
        return ReconfigurationOperation.TryDecode(request.Operation.Span, out _) switch
        {
            LeaveOperation or ExcludeOperation when view.MemberWithIdentity(request.Client) is null =>
                $"a LEAVE or EXCLUDE must be signed by the identity key of a member of {view}",
            ReconfigureOperation c when c.Record.ViewId != view.Id => $"the join certificate is for view {c.Record.ViewId}; the current view is {view.Id}",
            ReconfigureOperation c when Core.Views.QuorumSignatures.Verify(view, c.Record.Encode(), c.Votes) is { } bad =>
                $"join certificate: {bad.Replace("signature", "vote", StringComparison.Ordinal)}",
            _ => null,
        };
    }

    /// <summary>Executes <paramref name="batch"/> (the requests to run, in decided order): one result per request, and the view installed, if any.</summary>
    public BatchOutcome Execute(BatchContext context, IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int system = FirstSystem(batch, 0);
        if (system < 0)
        {
            return new BatchOutcome(Application.ExecuteBatch(context, batch), null, []);
        }

        var results = new byte[batch.Count][];
        var outcomes = new List<(int Index, SystemResult Result)>();
        View? installed = null;
        int start = 0;
        while (start < batch.Count)
        {
            int end = system < 0 ? batch.Count : system;
            if (end > start)
            {
                SignedRequest[] run = new SignedRequest[end - start];
                for (int i = start; i < end; i++)
                {
                    run[i - start] = batch[i];
                }

                IReadOnlyList<byte[]> runResults = Application.ExecuteBatch(context, run);
                for (int i = 0; i < run.Length; i++)
                {
                    results[start + i] = runResults[i];
                }
            }

            if (system < 0)
            {
                break;
            }

            (SystemResult result, View? view) = Reconfiguration.Execute(batch[system], context, Application, installed is not null);
            installed ??= view;
            results[system] = result.Encode();
            outcomes.Add((system, result));
            start = system + 1;
            system = FirstSystem(batch, start);
        }

        return new BatchOutcome(results, installed, outcomes);
    }

    private static int FirstSystem(IReadOnlyList<SignedRequest> batch, int from)
    {
        for (int i = from; i < batch.Count; i++)
        {
            if (SystemOperation.IsSystem(batch[i].Operation.Span))
            {
                return i;
            }
        }

        return -1;
    }
}
