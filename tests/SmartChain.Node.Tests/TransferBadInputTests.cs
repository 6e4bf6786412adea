using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>A peer sending state-transfer garbage: each frame is logged and dropped, and the replica keeps ordering.</summary>
public class TransferBadInputTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Malformed_absurd_or_unsolicited_state_transfer_frames_are_logged_and_dropped_and_ordering_goes_on()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak);
        var log = new LogCapture();
        net.Loggers = log;
        await net.StopAsync(0);
        ReplicaHost target = net.Start(0);
        await net.StopAsync(3); // its identity is the test's now

        ReplicaMember zero = net.Genesis.InitialView.Members[0];
        await using SecureLink link = await SecureLink.ConnectAsync(zero.Host, zero.Port, net.Chain, new LinkCredentials(3, net.ReplicaKeys[3]),
            new PeerIdentity(0, zero.PublicKey), LinkOptions.Default, Timeout());
        byte[][] frames =
        [
            [],
            [0xFF, 1, 2, 3],
            new TransferMessage.TipRequest().Encode()[..5],
            new TransferMessage.BlocksRequest(long.MaxValue - 1, long.MaxValue).Encode(),
            new TransferMessage.BlocksRequest(9, 2).Encode(),
            new TransferMessage.SnapshotRequest(123_456, 0, int.MaxValue).Encode(),
            new TransferMessage.Blocks(1, []).Encode(), // an answer nobody asked for
        ];
        foreach (byte[] frame in frames)
        {
            await link.SendAsync(FrameType.StateTransfer, frame, flush: true, Timeout());
        }

        await log.WaitForAsync("malformed state-transfer message from replica 3", Timeout());

        // Still ordering, with the others.
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)22, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 1)]), Timeout())).Status);
        }

        await target.WaitForCertifiedAsync(net.Hosts[1]!.CommittedHeight, Timeout());
        Assert.NotEmpty(log.Containing("replica0: malformed state-transfer message from replica 3"));
        await net.StopAsync();
        LedgerAssert.VerifiedAndIdentical(net.Genesis, [net.DataDir(0), net.DataDir(1), net.DataDir(2)]);
    }

    // Each request starts real work (a store read of up to 2 MiB, a snapshot chunk of 1 MiB): a peer's flood is refused
    // beyond its budget, logged, never queued, and ordering goes on.
    [Fact]
    public async Task A_flood_of_block_and_snapshot_requests_from_one_peer_is_refused_beyond_its_budget_and_ordering_goes_on()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: 10);
        var log = new LogCapture();
        net.Loggers = log;
        await net.StopAsync(0);
        ReplicaHost target = net.Start(0);
        await MintAsync(net, 23, 12);
        await net.StopAsync(3);

        ReplicaMember zero = net.Genesis.InitialView.Members[0];
        await using SecureLink link = await SecureLink.ConnectAsync(zero.Host, zero.Port, net.Chain, new LinkCredentials(3, net.ReplicaKeys[3]),
            new PeerIdentity(0, zero.PublicKey), LinkOptions.Default, Timeout());
        for (int i = 0; i < 2_000; i++)
        {
            TransferMessage request = i % 2 == 0 ? new TransferMessage.BlocksRequest(1, 1_000) : new TransferMessage.SnapshotRequest(0, 0, int.MaxValue);
            await link.SendAsync(FrameType.StateTransfer, (request with { RequestId = (ulong)i }).Encode(), flush: false, Timeout());
        }

        await link.FlushAsync(Timeout());
        await log.WaitForAsync("refused replica 3's state-transfer request", Timeout());

        await MintAsync(net, 24, 3);
        await target.WaitForCertifiedAsync(net.Hosts[1]!.CommittedHeight, Timeout());
        Assert.Empty(log.Containing("ledger loop failed"));
        await net.StopAsync();
        LedgerAssert.VerifiedAndIdentical(net.Genesis, [net.DataDir(0), net.DataDir(1), net.DataDir(2)]);
    }

    private static async Task MintAsync(InProcessNetwork net, byte seed, int count)
    {
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat(seed, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 1)]), Timeout())).Status);
        }
    }
}
