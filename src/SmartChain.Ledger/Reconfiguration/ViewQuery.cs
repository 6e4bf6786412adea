using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Ledger.Reconfiguration;

/// <summary>
/// The platform's read-only query for views (SPEC §7): a client (or a joining node) holding view v asks for the proofs of
/// the views after it. Query <c>u8 0xFF · u8 1 · i64 known view</c>; answer <c>u32 n · n × bytes receipt</c>, the receipts
/// of the entries that installed views v+1, v+2, … (at most <see cref="ViewChain.MaxProofs"/>), each certified by the view
/// before it, so one honest answer is enough (<see cref="ViewChain.Follow"/>). Application queries never start with 0xFF.
/// </summary>
public static class ViewQuery
{
    private const byte ViewsAfter = 1;
    private const int MaxReceiptBytes = 4 * 1024 * 1024;

    /// <summary>The query for the views after <paramref name="knownView"/>.</summary>
    public static byte[] After(long knownView) => CanonicalEncoding.ToArray(knownView, static (ref CanonicalWriter w, long v) =>
    {
        w.WriteUInt8(SystemOperation.Tag);
        w.WriteUInt8(ViewsAfter);
        w.WriteInt64(v);
    });

    /// <summary>True if <paramref name="query"/> is the platform's, not the application's.</summary>
    public static bool IsPlatformQuery(ReadOnlySpan<byte> query) => query.Length > 0 && query[0] == SystemOperation.Tag;

    /// <summary>The view a query asks after.</summary>
    /// <exception cref="EncodingException">Not a view query.</exception>
    public static long DecodeQuery(ReadOnlySpan<byte> query) => CanonicalEncoding.Decode(query, static (ref CanonicalReader r) =>
    {
        if (r.ReadUInt8() != SystemOperation.Tag || r.ReadUInt8() != ViewsAfter)
        {
            throw new EncodingException(0, "not a view query (u8 0xFF · u8 1 · i64 view)");
        }

        return r.ReadInt64(0, long.MaxValue);
    });

    /// <summary>The answer: receipts, already encoded.</summary>
    public static byte[] EncodeAnswer(IReadOnlyList<byte[]> receipts) => CanonicalEncoding.ToArray(receipts, static (ref CanonicalWriter w, IReadOnlyList<byte[]> list) =>
    {
        w.WriteCount(list.Count, ViewChain.MaxProofs);
        foreach (byte[] receipt in list)
        {
            w.WriteBytes(receipt, MaxReceiptBytes);
        }
    });

    /// <summary>Reads an answer.</summary>
    /// <exception cref="EncodingException">Not a view answer.</exception>
    public static IReadOnlyList<TransactionReceipt> DecodeAnswer(ReadOnlySpan<byte> answer) => CanonicalEncoding.Decode(answer, static (ref CanonicalReader r) =>
    {
        var receipts = new TransactionReceipt[r.ReadCount(ViewChain.MaxProofs, 4)];
        for (int i = 0; i < receipts.Length; i++)
        {
            receipts[i] = TransactionReceipt.Decode(r.ReadBytes(MaxReceiptBytes));
        }

        return (IReadOnlyList<TransactionReceipt>)receipts;
    });
}
