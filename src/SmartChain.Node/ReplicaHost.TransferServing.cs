using SmartChain.Consensus;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Network;
using SmartChain.Node.Transfer;

namespace SmartChain.Node;

/// <summary>
/// Serving state transfer to peers, within a budget per peer and in total (<see cref="Transfer.ServeBudget"/>): tips and
/// block ranges from the ledger loop, snapshot chunks from the files; and the Byzantine source a test can make of a
/// replica (<see cref="Transfer.TransferFault"/>).
/// </summary>
public sealed partial class ReplicaHost
{
    // Shared by the peer pump (admits) and the ledger loop and thread pool (release); made on first use.
    private ServeBudget ServeBudget
    {
        get
        {
            ServeBudget? budget = Volatile.Read(ref _serveBudget);
            return budget ?? Interlocked.CompareExchange(ref _serveBudget, new ServeBudget(_options.Transfer), null) ?? _serveBudget!;
        }
    }

    // The largest answer a request can make: reserved while it is served.
    private static long ServeBytes(TransferMessage request) => request switch
    {
        TransferMessage.SnapshotRequest => TransferMessage.MaxChunkBytes,
        TransferMessage.BlocksRequest => TransferMessage.AnswerBudgetBytes,
        _ => TipAnswerBytes,
    };

    // A peer's request starts work only within its budget; a refusal is logged at the 1st, 2nd, 4th, 8th, … one.
    private bool AdmitServe(int from, TransferMessage request)
    {
        if (ServeBudget.TryAdmit(from, ServeBytes(request)) is not { } refused)
        {
            return true;
        }

        long count = ServeBudget.RefusedFrom(from);
        if ((count & (count - 1)) == 0)
        {
            string line = $"refused replica {from}'s state-transfer request ({count} refused so far): {refused}";
            NodeLog.Transfer(_log, line);
        }

        return false;
    }

    private void ServeSnapshot(int from, TransferMessage.SnapshotRequest request)
    {
        TransferMessage answer;
        try
        {
            using var file = new FileStream(_snapshots.PathOf(request.SnapshotBlock), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            byte[] data = new byte[(int)Math.Clamp(Math.Min(request.Length, file.Length - request.Offset), 0, TransferMessage.MaxChunkBytes)];
            file.Position = request.Offset;
            file.ReadExactly(data);
            if (_options.TransferFault == TransferFault.BadSnapshot && data.Length > 0)
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

    // On the ledger loop, which owns the store: only certified blocks are served.
    private void ServeTransfer(int from, TransferMessage request)
    {
        long certified = Interlocked.Read(ref _certifiedPrefix);
        TransferMessage answer;
        if (request is TransferMessage.TipRequest tipRequest)
        {
            Block tip = _store.Read(certified);
            IReadOnlyList<TransactionReceipt> views = ViewProofsAfter(tipRequest.KnownView);
            answer = _options.TransferFault == TransferFault.FarTip
                ? new TransferMessage.Tip(tip.Header with { Number = tip.Header.Number + 100_000 }, tip.Certificate, views)
                : new TransferMessage.Tip(tip.Header, tip.Certificate, views);
        }
        else
        {
            var range = (TransferMessage.BlocksRequest)request;
            answer = range.From > certified || range.From < 1 || range.To < range.From
                ? new TransferMessage.Unavailable(range.From, $"blocks {range.From}..{range.To} are not certified here (certified up to {certified})")
                : new TransferMessage.Blocks(range.From, ReadRange(range.From, Math.Min(range.To, certified)));
        }

        Answer(from, answer with { RequestId = request.RequestId });
    }

    private void Answer(int to, TransferMessage answer)
    {
        int copies = _options.TransferFault switch
        {
            TransferFault.Silent => answer is TransferMessage.Tip ? 1 : 0,
            TransferFault.Flood => 101,
            _ => 1,
        };
        byte[] bytes = answer.Encode();
        if (_options.TransferFault == TransferFault.SlowCheckpoints && answer is TransferMessage.Blocks late &&
            CheckpointBlock.IsCheckpoint(late.From, _genesis.CheckpointPeriod))
        {
            _ = Task.Delay(300, _stop.Token).ContinueWith(_ => _network.Send(to, FrameType.StateTransfer, bytes), TaskScheduler.Default);
            return;
        }

        for (int i = 0; i < copies; i++)
        {
            _network.Send(to, FrameType.StateTransfer, bytes);
        }
    }

    private List<Block> ReadRange(long from, long to)
    {
        var blocks = new List<Block>();
        long bytes = 0;
        for (long n = from; n <= to && blocks.Count < TransferMessage.MaxBlocksPerAnswer && (blocks.Count == 0 || bytes < TransferMessage.AnswerBudgetBytes); n++)
        {
            if (_options.TransferFault == TransferFault.SlowCheckpoints && n > from && CheckpointBlock.IsCheckpoint(n, _genesis.CheckpointPeriod))
            {
                break;
            }

            Block block = _store.Read(n);
            foreach (ReadOnlyMemory<byte> entry in block.Body.Entries)
            {
                bytes += entry.Length;
            }

            blocks.Add(block);
        }

        return _options.TransferFault switch
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
