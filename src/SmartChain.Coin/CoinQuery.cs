using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// SMaRtCoin's read-only queries. Every answer is bounded, whatever the state: a coin list comes in pages of at most
/// <see cref="MaxPageCoins"/> coins, and a balance is a count and a sum.
/// <code>
/// coins, first page : u8 1 · 32 B owner
/// coins, next page  : u8 2 · 32 B owner · 32 B cursor (the last coin id of the previous page)
/// balance           : u8 3 · 32 B owner
/// page answer       : u32 n (≤ MaxPageCoins) · n × (32 B coin id · u64 value) · bool more
/// balance answer    : u32 coin count · u64 total, low half · u64 total, high half
/// </code>
/// A page lists coins in id order from just after the cursor, so every correct replica in the same state answers
/// identically; when <c>more</c> is set, the next page starts after the page's last id.
/// </summary>
public static class CoinQuery
{
    /// <summary>
    /// Most coins in one page: 40 KiB of answer, far below any frame limit, and little enough work that answering
    /// cannot be used to keep a replica busy.
    /// </summary>
    public const int MaxPageCoins = 1024;

    private const byte CoinsOfOwner = 1;
    private const byte CoinsAfter = 2;
    private const byte BalanceOfOwner = 3;
    private const int PageEntryBytes = Hash256.Size + 8;

    /// <summary>The query for the first page of <paramref name="owner"/>'s coins.</summary>
    public static byte[] CoinsOf(Ed25519PublicKey owner) => Encode(CoinsOfOwner, owner, null);

    /// <summary>The query for the page of <paramref name="owner"/>'s coins that follows <paramref name="cursor"/>.</summary>
    public static byte[] CoinsOf(Ed25519PublicKey owner, Hash256 cursor) => Encode(CoinsAfter, owner, cursor);

    /// <summary>The query for <paramref name="owner"/>'s balance: how many coins, and their total.</summary>
    public static byte[] BalanceOf(Ed25519PublicKey owner) => Encode(BalanceOfOwner, owner, null);

    /// <summary>Decodes a page answer.</summary>
    /// <exception cref="EncodingException">Not a canonical page (an empty body means the replicas refused the query).</exception>
    public static CoinPage DecodePage(ReadOnlySpan<byte> answer)
    {
        if (answer.IsEmpty)
        {
            throw new EncodingException(0, "the replicas answered without a body: they refused the query (their logs say why)");
        }

        return CanonicalEncoding.Decode(answer, static (ref CanonicalReader r) =>
        {
            var coins = new (Hash256, ulong)[r.ReadCount(MaxPageCoins, PageEntryBytes)];
            for (int i = 0; i < coins.Length; i++)
            {
                coins[i] = (Hash256.ReadFrom(ref r), r.ReadUInt64());
            }

            int at = r.Position;
            bool more = r.ReadBool();
            if (more && coins.Length == 0)
            {
                throw new EncodingException(at, "a page without coins cannot announce more");
            }

            return new CoinPage(coins, more ? coins[^1].Item1 : null);
        });
    }

    /// <summary>The coins of a page answer (one page only: follow <see cref="CoinPage.Next"/> or use <see cref="ListAsync"/> for all).</summary>
    /// <exception cref="EncodingException">Not a canonical page.</exception>
    public static IReadOnlyList<(Hash256 Id, ulong Value)> DecodeCoins(ReadOnlySpan<byte> answer) => DecodePage(answer).Coins;

    /// <summary>Decodes a balance answer.</summary>
    /// <exception cref="EncodingException">Not a canonical balance.</exception>
    public static (int Coins, UInt128 Total) DecodeBalance(ReadOnlySpan<byte> answer) =>
        CanonicalEncoding.Decode(answer, static (ref CanonicalReader r) =>
        {
            int at = r.Position;
            uint count = r.ReadUInt32();
            if (count > int.MaxValue)
            {
                throw new EncodingException(at, $"coin count {count} is out of range");
            }

            ulong low = r.ReadUInt64();
            ulong high = r.ReadUInt64();
            return ((int)count, new UInt128(high, low));
        });

    /// <summary>
    /// Every coin of <paramref name="owner"/>, following the cursor page after page; <paramref name="ask"/> sends one
    /// query and returns the answer body the replicas agreed on. Pages are read one after the other, so the list is
    /// exact only if the owner's coins did not change meanwhile (the balance query gives a single state's total).
    /// </summary>
    public static async Task<IReadOnlyList<(Hash256 Id, ulong Value)>> ListAsync(Func<byte[], CancellationToken, Task<ReadOnlyMemory<byte>>> ask,
        Ed25519PublicKey owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var all = new List<(Hash256 Id, ulong Value)>();
        Hash256? cursor = null;
        do
        {
            CoinPage page = DecodePage((await ask(cursor is { } c ? CoinsOf(owner, c) : CoinsOf(owner), cancellationToken)).Span);
            if (cursor is { } previous && page.Coins.Count > 0 && page.Coins[0].Id <= previous)
            {
                throw new EncodingException(0, $"a page after {previous} starts at {page.Coins[0].Id}");
            }

            all.AddRange(page.Coins);
            cursor = page.Next;
        }
        while (cursor is not null);

        return all;
    }

    internal static (byte Kind, Ed25519PublicKey Owner, Hash256? Cursor) Decode(ReadOnlySpan<byte> query)
    {
        var reader = new CanonicalReader(query);
        byte kind = reader.ReadUInt8();
        if (kind is not (CoinsOfOwner or CoinsAfter or BalanceOfOwner))
        {
            throw new EncodingException(0, $"unknown query kind {kind}");
        }

        Ed25519PublicKey owner = Ed25519PublicKey.ReadFrom(ref reader);
        Hash256? cursor = kind == CoinsAfter ? Hash256.ReadFrom(ref reader) : null;
        reader.EnsureEnd();
        return (kind, owner, cursor);
    }

    internal static bool IsBalance(byte kind) => kind == BalanceOfOwner;

    internal static byte[] EncodePage(List<(Hash256 Id, ulong Value)> coins, bool more)
    {
        byte[] bytes = new byte[4 + (coins.Count * PageEntryBytes) + 1];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteCount(coins.Count, MaxPageCoins);
        foreach ((Hash256 id, ulong value) in coins)
        {
            id.WriteTo(ref writer);
            writer.WriteUInt64(value);
        }

        writer.WriteBool(more);
        return bytes;
    }

    internal static byte[] EncodeBalance(int count, UInt128 total)
    {
        byte[] bytes = new byte[4 + 8 + 8];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt32((uint)count);
        writer.WriteUInt64((ulong)total);
        writer.WriteUInt64((ulong)(total >> 64));
        return bytes;
    }

    private static byte[] Encode(byte kind, Ed25519PublicKey owner, Hash256? cursor)
    {
        byte[] bytes = new byte[1 + Ed25519PublicKey.Size + (cursor is null ? 0 : Hash256.Size)];
        bytes[0] = kind;
        owner.CopyTo(bytes.AsSpan(1));
        cursor?.CopyTo(bytes.AsSpan(1 + Ed25519PublicKey.Size));
        return bytes;
    }
}
