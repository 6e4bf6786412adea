using System.Diagnostics.Metrics;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Tests;

public class MetricsTests
{
    [Fact]
    public async Task Replicas_publish_decisions_batch_sizes_and_gauges_on_the_SmartChain_meter()
    {
        await using var net = new InProcessNetwork();
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(string Name, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests run networks in parallel in this process; listen to this network's chain only.
            if (instrument.Meter.Name == ReplicaHost.MeterName && instrument.Meter.Tags?.Any(t => t.Key == "chain" && (string?)t.Value == net.Chain) == true)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Add((i.Name, v)));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => measurements.Add((i.Name, v)));
        listener.Start();

        using var alice = Ed25519KeyPair.Generate();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, timeout.Token))
        {
            await client.SubmitAsync(SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(alice.PublicKey, 1)]).Encode()), timeout.Token);

            // One strong-mode reply is enough for the client; wait until every replica has executed the instance too.
            while ((await client.QueryEachAsync(CoinQuery.CoinsOf(alice.PublicKey), TimeSpan.FromSeconds(1), timeout.Token)).Values.Count(a => a.ExecutedInstance >= 1) < 4)
            {
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        await net.StopAsync(); // execution has finished everywhere once the hosts are stopped
        listener.RecordObservableInstruments();
        Assert.Equal(4, measurements.Count(m => m.Name == "smartchain.consensus.decided_instances"));
        Assert.Contains(measurements, m => m.Name == "smartchain.consensus.batch_size" && m.Value == 1);
        Assert.Contains(measurements, m => m.Name == "smartchain.requests.executed" && m.Value == 1);
    }
}
