using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network;

namespace SmartChain.Node.Transfer;

/// <summary>
/// Serving state transfer to peers, within a budget per peer and in total (<see cref="Transfer.ServeBudget"/>): a request
/// is admitted on the peer pump, then tips and block ranges are read on the ledger loop (which owns the store) and
/// snapshot chunks from the files on the thread pool. Holds no state but the thread-safe budget, so each part runs on
/// the thread that calls it. Also the Byzantine source a test can make of a replica (<see cref="TransferFault"/>).
/// </summary>
internal sealed class TransferServer
{
    private const long TipAnswerBytes = 64 * 1024;
    private readonly GenesisDocument _genesis;
    private readonly TransferFault _fault;
    private readonly IReplicaLinks _network;
    private readonly SnapshotStore _snapshots;
    private readonly Func<long, IReadOnlyList<TransactionReceipt>> _viewProofsAfter;
    private readonly ILogger _log;
    private readonly CancellationToken _stop;
    private readonly ReplicaPlatform _platform;

    /// <summary>A server answering through <paramref name="network"/>; <paramref name="viewProofsAfter"/> gives the view proofs a tip carries.</summary>
    public TransferServer(GenesisDocument genesis, TransferOptions options, TransferFault fault, IReplicaLinks network, SnapshotStore snapshots,
        Func<long, IReadOnlyList<TransactionReceipt>> viewProofsAfter, ILogger log, ReplicaPlatform platform, CancellationToken stop)
    {
        _platform = platform;
        _genesis = genesis;
        _fault = fault;
        _network = network;
        _snapshots = snapshots;
        _viewProofsAfter = viewProofsAfter;
        _log = log;
        _stop = stop;
        Budget = new ServeBudget(options, platform.Time.GetTimestamp, platform.Time.TimestampFrequency);
    }

    /// <summary>Shared by the peer pump (admits) and the ledger loop and thread pool (release).</summary>
    public ServeBudget Budget { get; }

    /// <summary>
    /// On the peer pump: a peer's tip, block or snapshot request starts work only within its budget; tips and blocks go
    /// to the ledger loop (refused if its queue is full), snapshot chunks are read on the thread pool.
    /// </summary>
    public void OnRequest(int from, TransferMessage request, ChannelWriter<LedgerInput> ledger)
    {
        if (!Admit(from, request))
        {
            return;
        }

        if (request is TransferMessage.SnapshotRequest snapshot)
        {
            // Nobody awaits this task, so it must not fault: ServeSnapshotObserved catches and logs whatever escapes.
            // A scheduler that refuses the work (possible with a platform's own) is handled here, on the pump.
            try
            {
                _ = Task.Factory.StartNew(() => ServeSnapshotObserved(from, snapshot), CancellationToken.None, TaskCreationOptions.DenyChildAttach,
                    _platform.Background);
            }
            catch (TaskSchedulerException e)
            {
                Budget.Release(from, ServeBytes(snapshot));
                NodeLog.ServeFailed(_log, e, from, $"snapshot chunk of the state after block {snapshot.SnapshotBlock} at offset {snapshot.Offset}: not started");
            }

            return;
        }

        if (!ledger.TryWrite(new LedgerInput.ServeTransfer(from, request)))
        {
            Budget.Release(from, ServeBytes(request));
            string line = $"refused replica {from}'s state-transfer request: the ledger loop's queue is full";
            NodeLog.Transfer(_log, line);
        }
    }

    /// <summary>On the ledger loop, which owns <paramref name="store"/>: only blocks up to <paramref name="certified"/> are served.</summary>
    public void ServeFromStore(int from, TransferMessage request, BlockStore store, long certified)
    {
        try
        {
            TransferMessage? answer;
            try
            {
                answer = AnswerFromStore(request, store, certified);
            }
            catch (Exception e) when (e is LedgerCorruptException or IOException)
            {
                // A block that does not read back (a flipped bit, a failing disk) is reported, never sent, and the
                // ledger loop goes on; a range is refused at once so the asker moves to another source (a tip has no
                // refusal: the asker goes on with the other tips).
                NodeLog.Storage(_log, $"not serving replica {from}'s state-transfer request: {e.Message}");
                answer = request is TransferMessage.BlocksRequest range
                    ? new TransferMessage.Unavailable(range.From, "a block of that range does not read back here")
                    : null;
            }

            if (answer is not null)
            {
                Answer(from, answer with { RequestId = request.RequestId });
            }
        }
        finally
        {
            Budget.Release(from, ServeBytes(request));
        }
    }

    private TransferMessage AnswerFromStore(TransferMessage request, BlockStore store, long certified)
    {
        if (request is TransferMessage.TipRequest tipRequest)
        {
            Block tip = store.Read(certified);
            IReadOnlyList<TransactionReceipt> views = _viewProofsAfter(tipRequest.KnownView);
            return _fault == TransferFault.FarTip
                ? new TransferMessage.Tip(tip.Header with { Number = tip.Header.Number + 100_000 }, tip.Certificate, views)
                : new TransferMessage.Tip(tip.Header, tip.Certificate, views);
        }

        var range = (TransferMessage.BlocksRequest)request;
        return range.From > certified || range.From < 1 || range.To < range.From
            ? new TransferMessage.Unavailable(range.From, $"blocks {range.From}..{range.To} are not certified here (certified up to {certified})")
            : new TransferMessage.Blocks(range.From, ReadRange(store, range.From, Math.Min(range.To, certified)));
    }

    // The largest answer a request can make: reserved while it is served.
    private static long ServeBytes(TransferMessage request) => request switch
    {
        TransferMessage.SnapshotRequest => TransferMessage.MaxChunkBytes,
        TransferMessage.BlocksRequest => TransferMessage.AnswerBudgetBytes,
        _ => TipAnswerBytes,
    };

    // A refusal is logged at the 1st, 2nd, 4th, 8th, … one.
    private bool Admit(int from, TransferMessage request)
    {
        if (Budget.TryAdmit(from, ServeBytes(request)) is not { } refused)
        {
            return true;
        }

        long count = Budget.RefusedFrom(from);
        if ((count & (count - 1)) == 0)
        {
            string line = $"refused replica {from}'s state-transfer request ({count} refused so far): {refused}";
            NodeLog.Transfer(_log, line);
        }

        return false;
    }

    // On background work: serves a chunk whatever happens. A missing or unreadable snapshot is answered Unavailable by
    // ServeSnapshot; anything else (a bug, a fault nobody planned for) was lost in the faulted task before, and the
    // asker waited out its timeout. Now it is logged with the peer and the reason, the asker is told at once (it moves
    // to another source), and the budget is released in every case.
    private void ServeSnapshotObserved(int from, TransferMessage.SnapshotRequest request)
    {
        try
        {
            ServeSnapshot(from, request);
        }
        catch (Exception e)
        {
            NodeLog.ServeFailed(_log, e, from, $"snapshot chunk of the state after block {request.SnapshotBlock} at offset {request.Offset}: {e.GetType().Name}: {e.Message}");
            try
            {
                Answer(from, new TransferMessage.Unavailable(request.SnapshotBlock, "serving that chunk failed here") { RequestId = request.RequestId });
            }
            catch (Exception again)
            {
                // The answer itself cannot go out (what failed may be the send): logged once above; the asker's timeout moves it on.
                NodeLog.ServeFailed(_log, again, from, $"the refusal of that chunk could not be sent either: {again.GetType().Name}: {again.Message}");
            }
        }
        finally
        {
            Budget.Release(from, ServeBytes(request));
        }
    }

    private void ServeSnapshot(int from, TransferMessage.SnapshotRequest request)
    {
        TransferMessage answer;
        try
        {
            using IStorageFile file = _snapshots.Storage.Open(_snapshots.PathOf(request.SnapshotBlock), StorageOpenMode.Read);
            byte[] data = new byte[(int)Math.Clamp(Math.Min(request.Length, file.Length - request.Offset), 0, TransferMessage.MaxChunkBytes)];
            file.Position = request.Offset;
            file.ReadExactly(data);
            if (_fault == TransferFault.BadSnapshot && data.Length > 0)
            {
                data[data.Length / 2] ^= 0x5A;
            }

            answer = data.Length == 0 ? new TransferMessage.Unavailable(request.SnapshotBlock, $"offset {request.Offset} is past the end of the snapshot")
                : new TransferMessage.SnapshotChunk(request.SnapshotBlock, request.Offset, data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            answer = new TransferMessage.Unavailable(request.SnapshotBlock, $"no snapshot of the state after block {request.SnapshotBlock} here ({e.GetType().Name})");
        }

        Answer(from, answer with { RequestId = request.RequestId });
    }

    private void Answer(int to, TransferMessage answer)
    {
        int copies = _fault switch
        {
            TransferFault.Silent => answer is TransferMessage.Tip ? 1 : 0,
            TransferFault.Flood => 101,
            _ => 1,
        };
        byte[] bytes = answer.Encode();
        if (_fault == TransferFault.SlowCheckpoints && answer is TransferMessage.Blocks late &&
            CheckpointBlock.IsCheckpoint(late.From, _genesis.CheckpointPeriod))
        {
            _ = Task.Delay(TimeSpan.FromMilliseconds(300), _platform.Time, _stop)
                .ContinueWith(_ => _network.Send(to, FrameType.StateTransfer, bytes), CancellationToken.None, TaskContinuationOptions.None, _platform.Background);
            return;
        }

        for (int i = 0; i < copies; i++)
        {
            _network.Send(to, FrameType.StateTransfer, bytes);
        }
    }

    private List<Block> ReadRange(BlockStore store, long from, long to)
    {
        var blocks = new List<Block>();
        long bytes = 0;
        for (long n = from; n <= to && blocks.Count < TransferMessage.MaxBlocksPerAnswer && (blocks.Count == 0 || bytes < TransferMessage.AnswerBudgetBytes); n++)
        {
            if (_fault == TransferFault.SlowCheckpoints && n > from && CheckpointBlock.IsCheckpoint(n, _genesis.CheckpointPeriod))
            {
                break;
            }

            Block block = store.Read(n);
            foreach (ReadOnlyMemory<byte> entry in block.Body.Entries)
            {
                bytes += entry.Length;
            }

            blocks.Add(block);
        }

        return _fault switch
        {
            TransferFault.BadBlocks => [.. blocks.Select(ChangeResult)],
            TransferFault.ForgedCertificates => [.. blocks.Select(b => b with { Certificate = new BlockCertificate([.. b.Certificate!.Signatures.Select(s => (s.ReplicaId, (ReadOnlyMemory<byte>)new byte[64]))]) })],
            TransferFault.EmptyProofs => [.. blocks.Select(b => WithProof(b, ReadOnlyMemory<byte>.Empty))],
            TransferFault.MalformedProofs => [.. blocks.Select(b => WithProof(b, new byte[] { 1, 2, 3 }))],
            TransferFault.ForgedProofs => [.. blocks.Select(b => WithProof(b,
                new DecisionProof([.. Enumerable.Range(0, 3).Select(i => new AcceptVote(i, new byte[64]))]).EncodeForBlock(1_000_000)))],
            TransferFault.CheckpointInstances => [.. blocks.Select(b => b.Body.DecisionProof.IsEmpty ? b with { Body = b.Body with { ConsensusId = b.Body.ConsensusId + 1_000 } } : b)],
            _ => blocks,
        };
    }

    // The Byzantine test double: the decision proof is outside every hash, so the certificate still verifies.
    private static Block WithProof(Block block, ReadOnlyMemory<byte> proof) =>
        block.Body.DecisionProof.IsEmpty ? block : block with { Body = block.Body with { DecisionProof = proof } };

    // The Byzantine test double: a changed result, so the block no longer matches its certified header.
    private static Block ChangeResult(Block block)
    {
        ReadOnlyMemory<byte>[] results = [.. block.Body.Results];
        results[0] = (byte[])[.. results[0].Span, 0xFF];
        return block with { Body = block.Body with { Results = results } };
    }
}
