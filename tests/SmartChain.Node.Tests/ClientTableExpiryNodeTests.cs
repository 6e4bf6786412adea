using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// Issue 14, the client table: 4 real replicas (TCP, fsync, Ed25519) with a window of W instances. Rows of keys idle for
/// W instances are forgotten, their old requests are refused for good, their new requests are ordered, and every
/// ledger verifies from genesis and from its newest snapshot (which holds the rows' ages).
/// </summary>
public class ClientTableExpiryNodeTests
{
    private const long W = 6;

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Idle_keys_are_forgotten_their_old_requests_refused_and_their_new_requests_ordered()
    {
        await using var net = new InProcessNetwork(consensus: ConsensusParameters.Default with { MaxBatch = 256, RequestWindow = W }, checkpointPeriod: 5);
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)12, 32).ToArray());
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        var minter = new CoinWallet(net.Chain, net.Minter);
        Ed25519KeyPair[] strangers = [.. Enumerable.Range(0, 3).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(40 + i), 32).ToArray()))];
        var spends = new List<SignedRequest>();
        var wallets = new List<CoinWallet>();
        foreach (Ed25519KeyPair stranger in strangers)
        {
            // Each stranger gets a coin, pays most of it to alice and keeps change (so the door filter lets it through).
            CoinResult minted = await RunAsync(client, minter, w => w.Mint([new CoinOutput(stranger.PublicKey, 5)]));
            var wallet = new CoinWallet(net.Chain, stranger, firstSequence: 100);
            wallet.AddCoin(minted.CreatedCoins[0], 5);
            spends.Add(await RunSpendAsync(client, wallet, alice.PublicKey, 4));
            wallets.Add(wallet);
        }

        for (int i = 0; i <= W; i++)
        {
            await RunAsync(client, minter, w => w.Mint([new CoinOutput(alice.PublicKey, 1)]));
        }

        // The old SPEND again, exactly as signed: its window has passed, and nothing remembers its key any more.
        ReplyMessage replay = await client.SubmitAsync(spends[0], Timeout());
        Assert.Equal(ReplyStatus.Rejected, replay.Status);
        Assert.Contains("expired", System.Text.Encoding.UTF8.GetString(replay.Result.Span), StringComparison.Ordinal);

        // The same key signs again from sequence 1, naming a recent instance: ordered and executed.
        var renewed = new CoinWallet(net.Chain, strangers[0], firstSequence: 1);
        foreach (OwnedCoin coin in wallets[0].Coins)
        {
            renewed.AddCoin(coin.Id, coin.Value);
        }

        SignedRequest again = await RunSpendAsync(client, renewed, alice.PublicKey, 1);
        Assert.Equal(1UL, again.Sequence);

        await net.SettleAsync(Timeout());
        await net.StopAsync();
        IReadOnlyList<VerifyReport> full = LedgerAssert.VerifiedAndIdentical(net.Genesis, Enumerable.Range(0, 4).Select(net.DataDir));
        for (int r = 0; r < 4; r++)
        {
            ClientTable table = ReplayedTable(net.Genesis, net.DataDir(r));
            Assert.Equal(1UL, table.HighestDecided(strangers[0].PublicKey));
            Assert.Equal(0UL, table.HighestDecided(strangers[1].PublicKey));
            Assert.Equal(0UL, table.HighestDecided(strangers[2].PublicKey));
            Assert.Equal(2, table.Count); // the minter and the renewed stranger: the keys ordered in the last W instances

            using BlockStore store = BlockStore.OpenReadOnly(net.DataDir(r));
            VerifyReport fast = LedgerVerifier.VerifyFromCheckpoint(store, net.Genesis, CoinApplication.ForGenesis(net.Genesis), new SnapshotStore(net.DataDir(r), readOnly: true));
            Assert.True(fast.Passed, fast.ToString());
            Assert.NotNull(fast.FromCheckpoint);
            Assert.Equal((full[r].HeadHash, full[r].StateHash), (fast.HeadHash, fast.StateHash));
        }

        foreach (Ed25519KeyPair stranger in strangers)
        {
            stranger.Dispose();
        }
    }

    private static async Task<CoinResult> RunAsync(ChainClient client, CoinWallet wallet, Func<CoinWallet, SignedRequest> sign)
    {
        wallet.NotBefore = client.KnownInstance;
        ReplyMessage reply = await client.SubmitAsync(sign(wallet), Timeout());
        Assert.Equal(ReplyStatus.Executed, reply.Status);
        CoinResult result = CoinResult.Decode(reply.Result.Span);
        Assert.Equal(CoinResultCode.Ok, result.Code);
        return result;
    }

    private static async Task<SignedRequest> RunSpendAsync(ChainClient client, CoinWallet wallet, Ed25519PublicKey payee, ulong amount)
    {
        wallet.NotBefore = await client.CurrentInstanceAsync(Timeout());
        SignedRequest spend = wallet.Pay(payee, amount);
        ReplyMessage reply = await client.SubmitAsync(spend, Timeout());
        Assert.Equal(ReplyStatus.Executed, reply.Status);
        CoinResult result = CoinResult.Decode(reply.Result.Span);
        Assert.Equal(CoinResultCode.Ok, result.Code);
        wallet.Observe(spend, result);
        return spend;
    }

    // The replicated table as the ledger fixes it: replayed from genesis, as `ledger verify` does.
    private static ClientTable ReplayedTable(GenesisDocument genesis, string dataDir)
    {
        using BlockStore store = BlockStore.OpenReadOnly(dataDir);
        var replayer = new ChainReplayer(genesis, CoinApplication.ForGenesis(genesis));
        for (long n = 0; n <= store.Height; n++)
        {
            Assert.Null(replayer.Apply(store.Read(n), ReplayChecks.AllowUncertified, out _, out _));
        }

        return replayer.Clients;
    }
}
