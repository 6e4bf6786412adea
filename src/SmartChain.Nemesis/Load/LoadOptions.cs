using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.Nemesis.Load;

/// <summary>What the nemesis' clients run: SPEND chains between seeded wallets, a MINT stream, and now and then a double-spend attempt.</summary>
public sealed record LoadOptions
{
    /// <summary>The network.</summary>
    public required GenesisDocument Genesis { get; init; }

    /// <summary>The minter: mints every wallet's first coins, then runs the MINT stream (the caller owns it).</summary>
    public required Ed25519KeyPair Minter { get; init; }

    /// <summary>SPEND streams (one wallet each, one operation in flight each).</summary>
    public int SpendStreams { get; init; } = 16;

    /// <summary>Streams per client connection.</summary>
    public int StreamsPerClient { get; init; } = 4;

    /// <summary>Seed of the wallets and of every random choice.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Share of SPENDs sent as a double-spend attempt: two conflicting SPENDs of the same coins at once.</summary>
    public double DoubleSpendShare { get; init; } = 0.02;

    /// <summary>Pause between the MINT stream's operations.</summary>
    public TimeSpan MintInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a client waits for a quorum's reply before it calls the outcome unknown.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Client endpoints of replicas beyond the genesis view (joined ones), to learn the current view from.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];
}
