using System.Buffers.Binary;
using System.Net.Sockets;
using SmartChain.Coin;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.IntegrationTests;

/// <summary>
/// A test-only hostile client over real TCP (127.0.0.1 only): against every replica of a view it opens many sessions
/// with fresh keys and, per session, holds a nearly complete maximal frame, announces oversized frames, trickles a
/// frame byte by byte, or floods maximal frames, signed requests of fresh keys and coin queries without reading a
/// reply; it also holds idle half-open connections on the replica ports. Every loop is bounded in count and time.
/// </summary>
internal sealed class HostileClient(GenesisDocument genesis)
{
    // The largest sealed frame the client port accepts: payload, 6 header bytes, 16 tag bytes.
    private static readonly int MaxSealedFrame = Limits.MaxClientFrameBytes + 6 + 16;

    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _minSessions = int.MaxValue;

    public int SessionsOpened;
    public int SessionsRefused;
    public int HalfOpen;
    public long BytesSent;

    /// <summary>
    /// Attacks every replica with <paramref name="sessionsPerReplica"/> session slots each, for <paramref name="duration"/>,
    /// until at least <paramref name="minSessions"/> sessions were opened in all (a slow machine opens them more slowly),
    /// and until <paramref name="holdUntil"/> has ended (the legitimate work that must be done under attack).
    /// </summary>
    public async Task RunAsync(int sessionsPerReplica, int halfOpenPerReplica, TimeSpan duration, int minSessions, Task holdUntil, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _minSessions = minSessions;
        _ = StopWhenDoneAsync(duration, holdUntil, stop);
        var sockets = new List<Socket>();
        var tasks = new List<Task>();
        var gates = new List<SemaphoreSlim>();
        try
        {
            foreach (ReplicaMember member in genesis.InitialView.Members)
            {
                for (int i = 0; i < halfOpenPerReplica; i++)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    sockets.Add(socket);
                    using var quick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    quick.CancelAfter(TimeSpan.FromSeconds(1));
                    try
                    {
                        await socket.ConnectAsync("127.0.0.1", member.Port, quick.Token);
                        Interlocked.Increment(ref HalfOpen);
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                    }
                }
            }

            foreach (ReplicaMember member in genesis.InitialView.Members)
            {
                // An attacker that wants sessions paces its handshakes below the per-source handshake bound (8),
                // which would otherwise evict its own unfinished ones.
                var gate = new SemaphoreSlim(6, 6);
                gates.Add(gate);
                for (int i = 0; i < sessionsPerReplica; i++)
                {
                    tasks.Add(SlotAsync(member, gate, i % 4, stop.Token));
                }
            }

            await Task.WhenAll(tasks);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            gates.ForEach(g => g.Dispose());
        }
    }

    private async Task StopWhenDoneAsync(TimeSpan duration, Task holdUntil, CancellationTokenSource stop)
    {
        try
        {
            // The legitimate work's own failure ends the attack too; its caller sees that failure.
            Task held = holdUntil.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await Task.WhenAll(Task.Delay(duration, stop.Token), _enough.Task.WaitAsync(stop.Token), held.WaitAsync(stop.Token));
            await stop.CancelAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // One session slot: reconnects with a fresh key whenever the replica closes it, until the attack ends.
    private async Task SlotAsync(ReplicaMember member, SemaphoreSlim gate, int behaviour, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            using Ed25519KeyPair key = Ed25519KeyPair.Generate();
            SecureLink link;
            try
            {
                await gate.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                link = await SecureLink.ConnectAsync("127.0.0.1", member.ClientPort, genesis.ChainId, new LinkCredentials(PeerIdentity.ClientId, key),
                    new PeerIdentity(member.Id, member.PublicKey), LinkOptions.Default, ct);
            }
            catch (Exception e) when (e is LinkException or SocketException or IOException or OperationCanceledException)
            {
                await Task.Delay(50, CancellationToken.None); // bounded reconnect rate
                continue;
            }
            finally
            {
                gate.Release();
            }

            if (Interlocked.Increment(ref SessionsOpened) == _minSessions)
            {
                _enough.TrySetResult();
            }

            await using (link)
            {
                try
                {
                    await (behaviour switch
                    {
                        0 => HoldPartialMaximalFrameAsync(link, ct),
                        1 => OversizedFrameAsync(link, ct),
                        2 => TrickleAsync(link, ct),
                        _ => FloodAsync(link, key, ct),
                    });
                }
                catch (Exception e) when (e is LinkException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }

            if (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref SessionsRefused); // the replica closed it (cap, limit or deadline)
                await Task.Delay(50, CancellationToken.None); // bounded reconnect rate
            }
        }
    }

    // All of a maximal frame but its last byte, then silence: the replica holds that much until the frame deadline.
    private async Task HoldPartialMaximalFrameAsync(SecureLink link, CancellationToken ct)
    {
        byte[] bytes = new byte[4 + MaxSealedFrame - 1];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)MaxSealedFrame);
        Random.Shared.NextBytes(bytes.AsSpan(4));
        await link.SendRawAsync(bytes, ct);
        Interlocked.Add(ref BytesSent, bytes.Length);
        await link.ReceiveAsync(ct); // until the replica closes it
    }

    // A 64 MiB frame announced and then streamed: refused from its length.
    private async Task OversizedFrameAsync(SecureLink link, CancellationToken ct)
    {
        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 64u << 20);
        await link.SendRawAsync(prefix, ct);
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < 256 && !ct.IsCancellationRequested; i++)
        {
            await link.SendRawAsync(chunk, ct);
            Interlocked.Add(ref BytesSent, chunk.Length);
        }
    }

    // Slowloris: a small frame, one byte every 100 ms.
    private static async Task TrickleAsync(SecureLink link, CancellationToken ct)
    {
        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 1000);
        await link.SendRawAsync(prefix, ct);
        for (int i = 0; i < 1000 && !ct.IsCancellationRequested; i++)
        {
            await link.SendRawAsync(new byte[] { 0x5A }, ct);
            await Task.Delay(100, ct);
        }
    }

    // Maximal frames, signed requests of fresh keys, and coin queries, never reading a reply.
    private async Task FloodAsync(SecureLink link, Ed25519KeyPair key, CancellationToken ct)
    {
        byte[] maximal = new byte[Limits.MaxClientFrameBytes];
        byte[] query = new QueryMessage(1, CoinQuery.CoinsOf(key.PublicKey)).Encode();
        for (ulong i = 1; i <= 2_000 && !ct.IsCancellationRequested; i++)
        {
            switch (i % 3)
            {
                case 0:
                    await link.SendAsync(FrameType.Request, maximal, ct);
                    Interlocked.Add(ref BytesSent, maximal.Length);
                    break;
                case 1:
                    SignedRequest request = SignedRequest.Create(genesis.ChainId, key, i, 0, CoinOperation.Mint([new CoinOutput(key.PublicKey, 1)]).Encode());
                    await link.SendAsync(FrameType.Request, request.Encoded, ct);
                    break;
                default:
                    await link.SendAsync(FrameType.Query, query, ct);
                    break;
            }
        }
    }
}
