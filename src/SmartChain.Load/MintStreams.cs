using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Load;

/// <summary>
/// MINT streams: each stream is one genesis minter that keeps minting a coin to itself (≈ 180-byte requests). A
/// minter key has one sequence space, so streams never share a key. Sequences start from the clock, so the same
/// keys can be used again by a later run against the same network.
/// </summary>
public sealed class MintStreams : IStreamWorkload
{
    private readonly string _chainId;
    private readonly IReadOnlyList<Ed25519KeyPair> _minters;
    private readonly ulong[] _sequence;
    private readonly ulong[] _minted;

    /// <summary>One stream per key of <paramref name="minters"/> (not owned).</summary>
    public MintStreams(string chainId, IReadOnlyList<Ed25519KeyPair> minters)
    {
        ArgumentNullException.ThrowIfNull(minters);
        ArgumentOutOfRangeException.ThrowIfZero(minters.Count);
        _chainId = chainId;
        _minters = minters;
        ulong start = (ulong)DateTime.UtcNow.Ticks;
        _sequence = [.. Enumerable.Repeat(start, minters.Count)];
        _minted = new ulong[minters.Count];
    }

    /// <inheritdoc />
    public int Streams => _minters.Count;

    /// <inheritdoc />
    public IReadOnlyList<SignedRequest> Setup(long notBefore) => [];

    /// <inheritdoc />
    public SignedRequest NextRequest(int stream, long notBefore) =>
        SignedRequest.Create(_chainId, _minters[stream], ++_sequence[stream], notBefore,
            CoinOperation.Mint([new CoinOutput(_minters[stream].PublicKey, 1 + (++_minted[stream] % 1000))]).Encode());

    /// <inheritdoc />
    public bool Accepted(int stream, ReplyMessage reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate && CoinResult.Decode(reply.Result.Span).Code == CoinResultCode.Ok;
    }
}
