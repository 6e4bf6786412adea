using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Ledger.Store;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>The paper's Table I baselines, runnable as replica options for the benchmark.</summary>
public class BaselineTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Theory]
    [InlineData(LedgerMode.NaiveSync, true)]
    [InlineData(LedgerMode.NaiveAsync, false)]
    [InlineData(LedgerMode.None, false)]
    public async Task A_baseline_orders_and_executes_without_blocks_and_refuses_to_restart(LedgerMode mode, bool verifyInExecution)
    {
        var coin = new CoinExecutionOptions { VerifySignaturesInExecution = verifyInExecution };
        await using var net = new InProcessNetwork(options: new ReplicaOptions { Ledger = mode }, application: g => CoinApplication.ForGenesis(g, coin));
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter);
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            long last = 0;
            for (int i = 0; i < 3; i++)
            {
                ReplyMessage reply = await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout());
                Assert.Equal((ReplyStatus.Executed, CoinResultCode.Ok, 0L), (reply.Status, CoinResult.Decode(reply.Result.Span).Code, reply.Receipt.Length + 0L));
                last = reply.Instance;
            }

            // Q replies came; the fourth replica may still be executing. Each status query waits for every answer.
            while ((await client.QueryEachAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(5), Timeout())).Values.Count(a => a.ExecutedInstance >= last) < 4)
            {
            }
        }

        await net.StopAsync();
        for (int i = 0; i < 4; i++)
        {
            using (BlockStore store = BlockStore.OpenReadOnly(net.DataDir(i)))
            {
                Assert.Equal(0, store.Height); // genesis only: the blockchain layer is off
            }

            string naive = Path.Combine(net.DataDir(i), ReplicaHost.NaiveLedgerFileName);
            Assert.Equal(mode != LedgerMode.None, File.Exists(naive) && new FileInfo(naive).Length > 0);
        }

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => net.Start(0));
        Assert.Contains("cannot restart", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_baseline_compacts_its_vote_log_up_to_the_instance_it_executed()
    {
        // Compacting after every append: a baseline builds no blocks, so what it may drop is what it executed. Tied to
        // the ledger's durable instance (0 forever here) its log kept every vote and, at 64 MiB, was rewritten on
        // every Ready, which stalled the leader of the seq-sync benchmark.
        var options = new ReplicaOptions { Ledger = LedgerMode.NaiveSync, VoteLogCompactBytes = 1 };
        await using var net = new InProcessNetwork(options: options, application: g => CoinApplication.ForGenesis(g, new CoinExecutionOptions()));
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter);
        long first = 0, last = 0;
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            // Sixteen instances or so: a compaction that ran while execution lagged keeps more and raises the next
            // threshold (64 MiB + 2K, here 1 + 2K bytes), so the later ones append enough to compact again past `first`.
            for (int i = 0; i < 16; i++)
            {
                ReplyMessage reply = await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout());
                Assert.Equal(ReplyStatus.Executed, reply.Status);
                first = i == 0 ? reply.Instance : first;
                last = reply.Instance;
            }
        }

        await net.StopAsync();
        Assert.True(last >= first + 8, $"the sixteen mints were ordered in instances {first}..{last} only");
        for (int i = 0; i < 4; i++)
        {
            using VoteLog votes = VoteLog.Open(Path.Combine(net.DataDir(i), VoteLog.FileName), 0, out IReadOnlyList<Consensus.VoteRecord> kept, _ => { });
            Assert.DoesNotContain(kept, v => v.Instance == first);
        }
    }
}
