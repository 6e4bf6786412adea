using SmartChain.Coin;
using SmartChain.Network.Client;

namespace SmartChain.Nemesis.Load;

/// <summary>How one attempt at a transaction ended, as the client saw it.</summary>
/// <param name="Reply">The quorum's reply, or null when none came (the outcome is unknown).</param>
/// <param name="Error">Why there was no reply, or the refusal's reason.</param>
internal sealed record Submission(ReplyMessage? Reply, string? Error)
{
    /// <summary>Executed (now or before) with an Ok result.</summary>
    public bool Ok => Result is { Succeeded: true };

    /// <summary>Executed in a block with a SMaRtCoin rejection.</summary>
    public bool RejectedInBlock => Result is { Succeeded: false };

    /// <summary>Refused before ordering (Rejected) or never to be executed (Stale).</summary>
    public bool Refused => Reply?.Status is ReplyStatus.Rejected or ReplyStatus.Stale;

    /// <summary>The decoded result of an executed request.</summary>
    public CoinResult? Result =>
        Reply is { Status: ReplyStatus.Executed or ReplyStatus.Duplicate } r && r.Result.Length > 0 ? CoinResult.Decode(r.Result.Span) : null;
}
