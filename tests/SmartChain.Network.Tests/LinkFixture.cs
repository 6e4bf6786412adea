using System.Net;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network.Tests;

/// <summary>A 4-replica view with keys, and a listener for replica 0 that records why it refused connections.</summary>
public sealed class LinkFixture : IAsyncDisposable
{
    public const string Chain = "link-test";
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public LinkFixture(LinkOptions? options = null, bool clientPort = false)
    {
        Keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(i + 1), 32).ToArray()))];
        View = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 40000 + i, 41000 + i, Keys[i].PublicKey)));
        Options = options ?? LinkOptions.Default;
        Listener = new LinkListener(new IPEndPoint(IPAddress.Loopback, 0), Chain, new LinkCredentials(0, Keys[0]),
            clientPort ? LinkAuthorization.AnyClient : LinkAuthorization.ReplicasOf(View), Options,
            (_, reason) => Rejections.Writer.TryWrite(reason));
    }

    public Ed25519KeyPair[] Keys { get; }

    public View View { get; }

    public LinkOptions Options { get; }

    public LinkListener Listener { get; }

    public System.Threading.Channels.Channel<string> Rejections { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public int Port => Listener.LocalEndPoint.Port;

    public PeerIdentity Replica(int id) => new(id, Keys[id].PublicKey);

    /// <summary>Connects as replica <paramref name="from"/> to replica 0 (optionally through another port) and returns both ends.</summary>
    public async Task<(SecureLink Client, SecureLink Server)> ConnectAsync(int from, int? port = null)
    {
        using var cts = new CancellationTokenSource(Wait);
        SecureLink client = await SecureLink.ConnectAsync("127.0.0.1", port ?? Port, Chain, new LinkCredentials(from, Keys[from]), Replica(0), Options, cts.Token);
        SecureLink server = await Listener.Accepted.ReadAsync(cts.Token);
        return (client, server);
    }

    public async Task<string> NextRejectionAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        return await Rejections.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        foreach (Ed25519KeyPair key in Keys)
        {
            key.Dispose();
        }
    }
}
