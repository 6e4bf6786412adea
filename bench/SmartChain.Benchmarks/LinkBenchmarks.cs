using System.Net;
using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.Benchmarks;

/// <summary>
/// Cost of the authenticated link: sealing one 300-byte frame (ChaCha20-Poly1305), and a burst of 1,000 such frames
/// over a real loopback TCP link, sent and received (one sender, one receiver).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LinkBenchmarks
{
    private const string Chain = "bench";
    private readonly byte[] _payload = new byte[300];
    private readonly byte[] _sealed = new byte[300 + 16];
    private Ed25519KeyPair[] _keys = [];
    private LinkListener _listener = null!;
    private SecureLink _client = null!;
    private SecureLink _server = null!;
    private FrameCipher _cipher = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = [Ed25519KeyPair.FromSeed(new byte[32]), Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray())];
        var view = new View(0, [
            ReplicaMember.WithOneViewKey(0, "127.0.0.1", 1, 2, _keys[0].PublicKey), ReplicaMember.WithOneViewKey(1, "127.0.0.1", 3, 4, _keys[1].PublicKey),
            ReplicaMember.WithOneViewKey(2, "127.0.0.1", 5, 6, new Ed25519PublicKey(new byte[32])),
            ReplicaMember.WithOneViewKey(3, "127.0.0.1", 7, 8, new Ed25519PublicKey(Enumerable.Repeat((byte)9, 32).ToArray()))]);
        _listener = new LinkListener(new IPEndPoint(IPAddress.Loopback, 0), Chain, new LinkCredentials(0, _keys[0]),
            LinkAuthorization.ReplicasOf(view), LinkOptions.Default, (_, reason) => throw new InvalidOperationException(reason));
        _client = SecureLink.ConnectAsync("127.0.0.1", _listener.LocalEndPoint.Port, Chain, new LinkCredentials(1, _keys[1]),
            new PeerIdentity(0, _keys[0].PublicKey), LinkOptions.Default, CancellationToken.None).GetAwaiter().GetResult();
        _server = _listener.Accepted.ReadAsync().AsTask().GetAwaiter().GetResult();
        _cipher = new FrameCipher(NSec.Cryptography.Key.Create(NSec.Cryptography.AeadAlgorithm.ChaCha20Poly1305));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cipher.Dispose();
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }
    }

    [Benchmark]
    public byte Seal300B()
    {
        _cipher.Seal(_payload, _sealed);
        return _sealed[0];
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<int> Send1000Frames300B()
    {
        Task<int> receive = ReceiveAsync(1000);
        for (int i = 0; i < 1000; i++)
        {
            await _client.SendAsync(FrameType.Request, _payload, CancellationToken.None);
        }

        return await receive;
    }

    private async Task<int> ReceiveAsync(int count)
    {
        int bytes = 0;
        for (int i = 0; i < count; i++)
        {
            Frame? frame = await _server.ReceiveAsync(CancellationToken.None);
            bytes += frame!.Value.Payload.Length;
        }

        return bytes;
    }
}
