using SmartChain.Consensus;
using SmartChain.Ledger;
using SmartChain.Node.Transfer;

namespace SmartChain.Node;

/// <summary>Block ranges served to state transfer, and the Byzantine source a test can make of a replica (<see cref="Transfer.TransferFault"/>).</summary>
public sealed partial class ReplicaHost
{
    private List<Block> ReadRange(long from, long to)
    {
        var blocks = new List<Block>();
        long bytes = 0;
        for (long n = from; n <= to && blocks.Count < TransferMessage.MaxBlocksPerAnswer && (blocks.Count == 0 || bytes < TransferMessage.AnswerBudgetBytes); n++)
        {
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
