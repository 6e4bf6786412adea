using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Ledger;

/// <summary>
/// A block certificate: signatures of at least Q distinct members of the view in force over
/// <see cref="Statement"/> = <c>u8 0x03 (BlockHeader) · chain id · 32 B header hash</c>.
/// </summary>
public sealed record BlockCertificate(IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> Signatures)
{
    /// <summary>The bytes a replica signs to certify a header.</summary>
    public static byte[] Statement(string chainId, Hash256 headerHash)
    {
        byte[] bytes = new byte[1 + 4 + System.Text.Encoding.UTF8.GetByteCount(chainId) + Hash256.Size];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt8((byte)SignatureDomain.BlockHeader);
        writer.WriteString(chainId, Limits.MaxChainIdBytes);
        headerHash.WriteTo(ref writer);
        return bytes;
    }

    /// <summary>A replica's signature of a header.</summary>
    public static byte[] Sign(Ed25519KeyPair key, string chainId, Hash256 headerHash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Statement(chainId, headerHash));
    }

    /// <summary>Null if this certifies <paramref name="headerHash"/> in <paramref name="view"/>; else why not.</summary>
    public string? Verify(View view, string chainId, Hash256 headerHash) =>
        QuorumSignatures.Verify(view, Statement(chainId, headerHash), Signatures);

    /// <summary>The length of <see cref="WriteTo"/>'s bytes.</summary>
    public int EncodedSize
    {
        get
        {
            int size = 4;
            for (int i = 0; i < Signatures.Count; i++)
            {
                size += 4 + Signatures[i].Signature.Length;
            }

            return size;
        }
    }

    /// <summary>Writes <c>u32 n · n × (i32 replica · 64 B signature)</c>, sorted by replica id.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteCount(Signatures.Count, Limits.MaxViewMembers);
        if (!SortedByReplica())
        {
            // Stable, so the bytes are the same as the sorted path's for any order the signatures arrived in.
            foreach ((int replica, ReadOnlyMemory<byte> signature) in Signatures.OrderBy(s => s.ReplicaId))
            {
                writer.WriteInt32(replica);
                writer.WriteFixed(signature.Span);
            }

            return;
        }

        // Every strong receipt writes its block's certificate: a certificate read back or written once is sorted
        // already, and then this writes it without the sort's iterator, keys and delegates.
        for (int i = 0; i < Signatures.Count; i++)
        {
            (int replica, ReadOnlyMemory<byte> signature) = Signatures[i];
            writer.WriteInt32(replica);
            writer.WriteFixed(signature.Span);
        }
    }

    private bool SortedByReplica()
    {
        for (int i = 1; i < Signatures.Count; i++)
        {
            if (Signatures[i - 1].ReplicaId > Signatures[i].ReplicaId)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a certificate written by <see cref="WriteTo"/>.</summary>
    public static BlockCertificate ReadFrom(ref CanonicalReader reader)
    {
        var signatures = new (int, ReadOnlyMemory<byte>)[reader.ReadCount(Limits.MaxViewMembers, 4 + Ed25519.SignatureSize)];
        for (int i = 0; i < signatures.Length; i++)
        {
            signatures[i] = (reader.ReadInt32(), reader.ReadFixed(Ed25519.SignatureSize).ToArray());
        }

        return new BlockCertificate(signatures);
    }
}
