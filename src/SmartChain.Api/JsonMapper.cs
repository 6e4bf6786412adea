using SmartChain.Api.Models;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Node.Api;

namespace SmartChain.Api;

/// <summary>Ledger and view objects to their JSON shapes (docs/api.md); bytes go out as base64, hashes and keys as hex.</summary>
internal static class JsonMapper
{
    public static HeaderJson Header(BlockHeader header) => new(header.Number, header.LastReconfig, header.LastCheckpoint, header.HashTransactions.ToString(),
        header.HashResults.ToString(), header.HashLastBlock.ToString(), Convert.ToBase64String(header.Encode()));

    public static CertificateJson Certificate(BlockCertificate certificate, View? view)
    {
        var signatures = new SignatureJson[certificate.Signatures.Count];
        for (int i = 0; i < signatures.Length; i++)
        {
            (int replica, ReadOnlyMemory<byte> signature) = certificate.Signatures[i];
            signatures[i] = new SignatureJson(replica, Convert.ToHexStringLower(signature.Span));
        }

        return new CertificateJson(view?.Id, signatures);
    }

    public static BlockSummary Summary(Block block, bool certified) =>
        new(block.Header.Number, block.Hash.ToString(), block.Header.HashLastBlock.ToString(), block.Body.ConsensusId, block.Body.Entries.Count, certified);

    public static BlockResponse Block(Block block, INodeApi node)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> entries = block.Body.Entries;
        var list = new EntryJson[entries.Count];
        for (int i = 0; i < list.Length; i++)
        {
            ReadOnlyMemory<byte> entry = entries[i];
            ReadOnlyMemory<byte> result = i < block.Body.Results.Count ? block.Body.Results[i] : ReadOnlyMemory<byte>.Empty;
            bool request = SignedRequest.TryDecode(entry, out SignedRequest? decoded, out _);
            list[i] = new EntryJson(i, Hash256.Compute(entry.Span).ToString(), request ? decoded!.Client.ToString() : null, request ? decoded!.Sequence : null,
                entry.Length, Convert.ToBase64String(entry.Span), Convert.ToBase64String(result.Span));
        }

        CertificateJson? certificate = block.Certificate is { } c ? Certificate(c, node.CertifyingView(block.Header)) : null;
        return new BlockResponse(block.Header.Number, block.Hash.ToString(), block.Body.ConsensusId, block.Certificate is not null, Header(block.Header),
            certificate, entries.Count, list);
    }

    public static MerkleProofJson Proof(MerkleProof proof)
    {
        var path = new string[proof.Path.Count];
        for (int i = 0; i < path.Length; i++)
        {
            path[i] = proof.Path[i].ToString();
        }

        return new MerkleProofJson(proof.LeafIndex, proof.TreeSize, path);
    }

    public static ReceiptJson Receipt(TransactionReceipt receipt, INodeApi node) =>
        new(Convert.ToBase64String(receipt.Encode()), receipt.BlockNumber, receipt.Index, Header(receipt.Header),
            Certificate(receipt.Certificate, node.CertifyingView(receipt.Header)), Convert.ToBase64String(receipt.Entry.Span),
            Convert.ToBase64String(receipt.Result.Span), Proof(receipt.EntryProof), Proof(receipt.ResultProof));

    public static ViewJson View(View view)
    {
        var members = new MemberJson[view.Members.Count];
        for (int i = 0; i < members.Length; i++)
        {
            ReplicaMember m = view.Members[i];
            members[i] = new MemberJson(m.Id, m.Host, m.Port, m.ClientPort, m.PublicKey.ToString(), m.ViewKey.Key.ToString());
        }

        return new ViewJson(view.Id, view.N, view.F, view.Q, members);
    }

    public static StatusResponse Status(NodeStatus s, INodeApi node)
    {
        string? notReady = s.NotReady;
        return new StatusResponse(s.ReplicaId, s.ChainId, s.ViewId, s.N, s.F, s.Q, s.Regency, s.Leader, s.Height, s.CertifiedHeight, s.Executed,
            s.PeersConnected, s.Peers, s.Member, s.StateTransfer, notReady is null, notReady, node.Height, node.CertifiedHeight);
    }
}
