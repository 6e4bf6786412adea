using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Leader change between real replica hosts: real links, real files.</summary>
public class LeaderChangeTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Theory]
    [InlineData(PersistenceMode.Weak)]
    [InlineData(PersistenceMode.Strong)]
    public async Task When_the_leader_stops_the_others_change_leader_finish_the_requests_and_it_catches_up_on_return(PersistenceMode mode)
    {
        await using var net = new InProcessNetwork(persistence: mode, consensus: ConsensusParameters.Default with { MaxBatch = 64, RequestTimeoutMs = 400 });
        var causes = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "smartchain.consensus.regency_changes" && instrument.Meter.Tags?.Any(t => t.Key == "chain" && (string?)t.Value == net.Chain) == true)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                causes.Add((string)tag.Value!);
            }
        });
        listener.Start();
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)21, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter);
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 1)]), Timeout())).Status);
            await net.StopAsync(0); // the leader of regency 0

            for (int i = 0; i < 3; i++)
            {
                ReplyMessage reply = await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 2)]), Timeout());
                Assert.Equal((ReplyStatus.Executed, CoinResultCode.Ok), (reply.Status, CoinResult.Decode(reply.Result.Span).Code));
            }
        }

        Assert.All(net.Hosts[1..], h => Assert.Contains("regency 1 leader 1", h!.Status, StringComparison.Ordinal));
        Assert.Contains(causes, c => c is "timeout" or "joined");

        // The old leader comes back, learns the new regency from the decisions it fetches, and holds the same ledger.
        ReplicaHost back = net.Start(0);
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 3)]), Timeout())).Status);
        }

        await back.WaitForCertifiedAsync(net.Hosts[1]!.CommittedHeight, Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }
}
