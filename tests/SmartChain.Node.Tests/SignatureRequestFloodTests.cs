using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.Node.Tests;

/// <summary>
/// Second reader's finding 7: a request for a block signature (<c>Wants</c>) costs the ledger loop a block read and a
/// signature, and the peer pump waited for room in the ledger queue, holding up every peer's consensus traffic behind a
/// flood. A request that finds the ledger loop busy is now dropped (the asker asks again, so no certificate is lost).
/// </summary>
public class SignatureRequestFloodTests
{
    private const int Flood = 100_000;

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_flood_of_signature_requests_is_dropped_when_the_ledger_loop_is_busy_and_every_block_is_still_certified()
    {
        var log = new LogCapture();
        await using var net = new InProcessNetwork(persistence: Core.Genesis.PersistenceMode.Strong);
        net.Loggers = log;
        await net.StopAsync(3);
        net.Start(3); // now with its log captured

        await Minting.MintAsync(net, seed: 31, count: 3);

        // Replica 2's identity is the test's now: it asks replica 3 for its signature of block 1, again and again.
        await net.StopAsync(2);
        ReplicaMember three = net.Genesis.InitialView.Members[3];
        await using (SecureLink link = await SecureLink.ConnectAsync(three.Host, three.Port, net.Chain, new LinkCredentials(2, net.ReplicaKeys[2]),
            new PeerIdentity(3, three.PublicKey), LinkOptions.Default, Timeout()))
        {
            using var reading = new CancellationTokenSource();
            Task drain = DrainAsync(link, reading.Token); // the answers that were sent are read, so replica 3's sends never wait on us
            byte[] wants = new BlockSignatureMessage(1, Hash256.Zero, new byte[Ed25519.SignatureSize], Wants: true).Encode();
            for (int i = 0; i < Flood; i++)
            {
                await link.SendAsync(FrameType.BlockSignature, wants, flush: i % 1_000 == 999, Timeout());
            }

            // The flood is sent by now; the first drop is logged at once (sampled: the 1st, 2nd, 4th, … occurrence).
            try
            {
                await log.WaitForAsync("replica 2 asked for the signature of block 1 while the ledger loop is busy; dropped", Timeout(10));
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"none of {Flood} signature requests was dropped: the peer pump waited for room in the ledger queue for each");
            }

            await reading.CancelAsync();
            await drain;
        }

        // Replica 3 is one of the Q = 3 that order now (2 is down): its peer pump is not stuck behind the flood.
        await Minting.MintAsync(net, seed: 32, count: 3);
        long head = net.Hosts[0]!.CommittedHeight;

        // Replica 2 comes back and asks the others for the signatures of its tail (Wants): every block gets certified.
        ReplicaHost back = net.Start(2);
        await Minting.MintAsync(net, seed: 33, count: 1);
        head = Math.Max(head, net.Hosts[0]!.CommittedHeight);
        foreach (ReplicaHost host in net.Hosts.Select(h => h!))
        {
            await host.WaitForCertifiedAsync(head, Timeout());
        }

        Assert.Empty(log.Containing("ledger loop failed"));
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    private static async Task DrainAsync(SecureLink link, CancellationToken cancellationToken)
    {
        try
        {
            while (await link.ReceiveAsync(cancellationToken) is not null)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or LinkException)
        {
        }
    }
}
