using SmartChain.Client;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// An application the platform's host-level tests run with (a theory over <see cref="Names"/>), and how a test writes
/// to it and reads it back through a real client. The platform must behave alike whatever it runs.
/// </summary>
public abstract class TestApplication
{
    /// <summary>SMaRtCoin, what <c>node run</c> runs.</summary>
    public const string Coin = "coin";

    /// <summary>The test-only key-value register.</summary>
    public const string Register = "register";

    /// <summary>Theory data: every application.</summary>
    public static TheoryData<string> Names => [Coin, Register];

    /// <summary>What the replicas run.</summary>
    public abstract ApplicationFactory Factory { get; }

    /// <summary>The application called <paramref name="name"/>.</summary>
    public static TestApplication Named(string name) => name switch
    {
        Coin => new CoinTestApplication(),
        Register => new RegisterTestApplication(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such test application"),
    };

    /// <summary>The key a seed stands for (the writer, or the owner of what is written).</summary>
    public static Ed25519KeyPair Key(byte seed) => Ed25519KeyPair.FromSeed(Enumerable.Repeat(seed, 32).ToArray());

    /// <summary>
    /// Makes the writes that count for <paramref name="owner"/>, each a new request (sequences start from the clock, so
    /// they stay above any a key used before a restart).
    /// </summary>
    public abstract Func<SignedRequest> Writer(InProcessNetwork net, Ed25519KeyPair owner);

    /// <summary>Asserts that a write's reply says the application applied it.</summary>
    public abstract void AssertApplied(ReplyMessage reply);

    /// <summary>How many writes for <paramref name="owner"/> the replicas (a quorum of them, agreeing) have executed.</summary>
    public abstract Task<ulong> WritesAsync(ChainClient client, Ed25519PublicKey owner, CancellationToken cancellationToken);

    /// <summary>
    /// Submits <paramref name="count"/> writes for <paramref name="seed"/>'s key, each awaited, and asserts each one
    /// executed and applied: every write is decided before the next goes out (one transaction a block).
    /// </summary>
    public async Task WriteAsync(InProcessNetwork net, byte seed, int count, CancellationToken cancellationToken)
    {
        using Ed25519KeyPair owner = Key(seed);
        Func<SignedRequest> next = Writer(net, owner);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, owner, null, cancellationToken);
        for (int i = 0; i < count; i++)
        {
            ReplyMessage reply = await client.SubmitAsync(next(), cancellationToken);
            Assert.Equal(ReplyStatus.Executed, reply.Status);
            AssertApplied(reply);
        }
    }

    /// <inheritdoc />
    public override string ToString() => GetType().Name;
}
