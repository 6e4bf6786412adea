using System.Security.Cryptography;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

/// <summary>
/// Pins what the owner index's structure must never change: over one seeded stream of random MINTs and SPENDs (valid and
/// invalid) in batches, the state hash after every batch, every owner's balance and every page of its coins (from the
/// start and from cursors), and the final snapshot, hashed together. The expected digest was taken with the
/// persistent-tree index (main at d449a5d, before issue 16's second cut); a restored snapshot answers the same.
/// </summary>
public sealed class CoinIndexDeterminismTests : IDisposable
{
    private const string ExpectedDigest = "1CB58DBE4A09160433813D5B94675A4AE6A8A4CF700A26CB5761913FD8FFD70B";
    private readonly CoinFixture _f = new();
    private readonly Ed25519KeyPair[] _users = [.. Enumerable.Range(10, 5).Select(i => CoinFixture.Key((byte)i))];

    public void Dispose()
    {
        _f.Dispose();
        foreach (Ed25519KeyPair user in _users)
        {
            user.Dispose();
        }
    }

    [Fact]
    public void State_hashes_snapshots_and_query_answers_over_random_batches_match_the_old_index()
    {
        var random = new Random(1616);
        var held = _users.Select(_ => new List<(Hash256 Id, ulong Value)>()).ToArray();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // One owner with more coins than a page holds, so cursors cross pages.
        for (int m = 0; m < 20; m++)
        {
            Mint(0, [.. Enumerable.Range(1, CoinLimits.MaxOutputs).Select(v => (ulong)v)], held);
        }

        for (int batch = 0; batch < 40; batch++)
        {
            var requests = new List<SignedRequest>();
            var spends = new List<(int From, SignedRequest Request, CoinOperation Operation, List<(Hash256, ulong)> Inputs)>();
            for (int t = random.Next(1, 25); t > 0; t--)
            {
                int from = random.Next(_users.Length);
                if (random.Next(6) == 0 || held[from].Count == 0)
                {
                    ulong[] values = [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => (ulong)random.Next(1, 500))];
                    requests.Add(_f.Sign(_f.Minter, CoinOperation.Mint([.. values.Select(v => new CoinOutput(_users[from].PublicKey, v))])));
                    continue;
                }

                // Inputs drawn from what the spender held before the batch: some are spent twice (rejected) or unknown.
                var inputs = held[from].OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                if (random.Next(10) == 0)
                {
                    inputs.Add((Hash256.Compute(BitConverter.GetBytes(random.Next())), 1));
                }

                ulong total = inputs.Aggregate(0UL, (a, c) => a + c.Value);
                int to = random.Next(_users.Length);
                ulong pay = total > 1 ? (ulong)random.NextInt64(1, (long)total) : total;
                List<CoinOutput> outputs = [new(_users[to].PublicKey, pay)];
                if (total - pay > 0)
                {
                    outputs.Add(new(_users[from].PublicKey, total - pay));
                }

                var op = CoinOperation.Spend([.. inputs.Select(c => c.Id)], outputs);
                SignedRequest request = _f.Sign(_users[from], op);
                requests.Add(request);
                spends.Add((from, request, op, inputs));
            }

            IReadOnlyList<byte[]> results = _f.App.ExecuteBatch(new BatchContext(1, 1), requests);
            for (int i = 0; i < requests.Count; i++)
            {
                digest.AppendData(results[i]);
            }

            Refresh(held);
            digest.AppendData(_f.App.ComputeStateHash().ToArray());
            AppendAnswers(_f.App, digest, random);
        }

        byte[] snapshot = _f.App.TakeSnapshot();
        digest.AppendData(snapshot);
        var restored = new CoinApplication(CoinFixture.Chain, [_f.Minter.PublicKey]);
        restored.RestoreSnapshot(snapshot);
        using var restoredDigest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var liveDigest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendAnswers(restored, restoredDigest, new Random(7));
        AppendAnswers(_f.App, liveDigest, new Random(7));
        Assert.Equal(Convert.ToHexString(liveDigest.GetHashAndReset()), Convert.ToHexString(restoredDigest.GetHashAndReset()));

        Assert.Equal(ExpectedDigest, Convert.ToHexString(digest.GetHashAndReset()));
    }

    private void Mint(int owner, ulong[] values, List<(Hash256 Id, ulong Value)>[] held)
    {
        CoinResult result = _f.Run(_f.Minter, CoinOperation.Mint([.. values.Select(v => new CoinOutput(_users[owner].PublicKey, v))]));
        Assert.Equal(CoinResultCode.Ok, result.Code);
        Refresh(held);
    }

    // What each user holds, read from the coin table through the pages (the index and the table must agree).
    private void Refresh(List<(Hash256 Id, ulong Value)>[] held)
    {
        for (int u = 0; u < _users.Length; u++)
        {
            held[u] = [.. AllCoins(_f.App, _users[u].PublicKey)];
            Assert.All(held[u], c => Assert.True(_f.App.TryGetCoin(c.Id, out CoinOutput coin) && coin.Owner == _users[u].PublicKey && coin.Value == c.Value));
        }

        Assert.Equal(_f.App.CoinCount, held.Sum(h => h.Count));
    }

    private void AppendAnswers(CoinApplication app, IncrementalHash digest, Random random)
    {
        foreach (Ed25519KeyPair user in _users.Append(_f.Minter))
        {
            digest.AppendData(app.Query(CoinQuery.BalanceOf(user.PublicKey)));
            digest.AppendData(app.Query(CoinQuery.CoinsOf(user.PublicKey)));
            var cursor = Hash256.Compute(BitConverter.GetBytes(random.Next()));
            digest.AppendData(app.Query(CoinQuery.CoinsOf(user.PublicKey, cursor)));
            foreach ((Hash256 id, _) in AllCoins(app, user.PublicKey).Where((_, i) => i % 97 == 0))
            {
                digest.AppendData(app.Query(CoinQuery.CoinsOf(user.PublicKey, id)));
            }
        }
    }

    private static List<(Hash256 Id, ulong Value)> AllCoins(CoinApplication app, Ed25519PublicKey owner)
    {
        var all = new List<(Hash256 Id, ulong Value)>();
        CoinPage page = CoinQuery.DecodePage(app.Query(CoinQuery.CoinsOf(owner)));
        all.AddRange(page.Coins);
        while (page.Next is { } next)
        {
            page = CoinQuery.DecodePage(app.Query(CoinQuery.CoinsOf(owner, next)));
            all.AddRange(page.Coins);
        }

        return all;
    }
}
