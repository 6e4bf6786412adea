using System.Buffers;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;

namespace SmartChain.Coin.Tests;

/// <summary>
/// CoinApplication's snapshot and checkpoint capture over the copy-on-write coin table: the bytes the old
/// dictionary code wrote, captures that later blocks never change, restore round trips.
/// </summary>
public sealed class StateCaptureTests : IDisposable
{
    private readonly CoinFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Random_mints_and_spends_snapshot_as_the_old_code_did_and_each_capture_keeps_the_state_it_saw()
    {
        var random = new Random(5);
        Ed25519KeyPair[] users = [_f.Alice, _f.Bob, _f.Carol];
        var model = new Dictionary<Hash256, CoinOutput>();
        var captures = new List<(IStateView View, byte[] Expected)>();
        for (int step = 0; step < 240; step++)
        {
            Ed25519KeyPair user = users[random.Next(users.Length)];
            List<Hash256> owned = [.. model.Where(c => c.Value.Owner == user.PublicKey).Select(c => c.Key).Order()];
            if (owned.Count == 0 || random.Next(3) == 0)
            {
                CoinOutput[] outputs = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Output(random, users, (ulong)random.Next(1, 1000)))];
                Apply(_f.Run(_f.Minter, CoinOperation.Mint(outputs)), [], outputs);
            }
            else
            {
                Hash256[] inputs = [.. owned.OrderBy(_ => random.Next()).Take(random.Next(1, 3))];
                ulong total = inputs.Aggregate(0UL, (sum, id) => sum + model[id].Value);
                ulong first = (ulong)random.NextInt64(1, (long)total + 1); // every coin carries value: the whole, or two parts
                CoinOutput[] outputs = first == total ? [Output(random, users, total)] : [Output(random, users, first), Output(random, users, total - first)];
                Apply(_f.Run(user, CoinOperation.Spend(inputs, outputs)), inputs, outputs);
            }

            if (step % 30 == 29)
            {
                captures.Add((_f.App.CaptureState(), OldSnapshotEncoding.Snapshot([_f.Minter.PublicKey], model)));
            }
        }

        byte[] now = OldSnapshotEncoding.Snapshot([_f.Minter.PublicKey], model);
        Assert.Equal(now, _f.App.TakeSnapshot());
        Assert.Equal(Hash256.Compute(now), _f.App.ComputeStateHash());
        Assert.Equal(model.Count, _f.App.CoinCount);
        Assert.Equal(8, captures.Count);
        foreach ((IStateView view, byte[] expected) in captures)
        {
            Assert.Equal(expected, Write(view));
        }

        Assert.Equal(captures.Count, captures.Select(c => Convert.ToHexString(c.Expected)).Distinct().Count()); // each saw a different state

        void Apply(CoinResult result, Hash256[] spent, CoinOutput[] outputs)
        {
            Assert.Equal(CoinResultCode.Ok, result.Code);
            foreach (Hash256 id in spent)
            {
                Assert.True(model.Remove(id));
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                model.Add(result.CreatedCoins[i], outputs[i]);
            }
        }
    }

    [Fact]
    public void A_restored_snapshot_round_trips_answers_queries_and_its_capture_survives_the_next_spend()
    {
        var random = new Random(9);
        Ed25519KeyPair[] users = [_f.Alice, _f.Bob, _f.Carol];
        var model = new Dictionary<Hash256, CoinOutput>();
        for (int i = 0; i < 5_000; i++)
        {
            byte[] id = new byte[32];
            random.NextBytes(id);
            model.Add(new Hash256(id), Output(random, users, (ulong)random.Next(1, 1_000_000)));
        }

        byte[] snapshot = OldSnapshotEncoding.Snapshot([_f.Minter.PublicKey], model);
        var app = new CoinApplication(CoinFixture.Chain, []);
        app.RestoreSnapshot(snapshot);

        Assert.Equal(snapshot, app.TakeSnapshot());
        IStateView restored = app.CaptureState();
        Assert.Equal(snapshot, Write(restored));
        Assert.Equal(model.Count, app.CoinCount);
        Assert.True(app.IsMinter(_f.Minter.PublicKey));
        foreach (Ed25519KeyPair user in users)
        {
            IEnumerable<ulong> values = model.Values.Where(c => c.Owner == user.PublicKey).Select(c => c.Value);
            Assert.Equal((values.Count(), values.Aggregate(UInt128.Zero, (sum, v) => sum + v)), CoinQuery.DecodeBalance(app.Query(CoinQuery.BalanceOf(user.PublicKey))));
        }

        // Alice spends her smallest coin to Bob: the restored table is written for the first time since the capture.
        (Hash256 spent, CoinOutput coin) = model.Where(c => c.Value.Owner == _f.Alice.PublicKey).MinBy(c => c.Key);
        CoinResult result = app.Execute(_f.Sign(_f.Alice, CoinOperation.Spend([spent], [new CoinOutput(_f.Bob.PublicKey, coin.Value)])));
        Assert.Equal(CoinResultCode.Ok, result.Code);
        Assert.False(app.TryGetCoin(spent, out _));
        model.Remove(spent);
        model.Add(result.CreatedCoins[0], new CoinOutput(_f.Bob.PublicKey, coin.Value));

        Assert.Equal(OldSnapshotEncoding.Snapshot([_f.Minter.PublicKey], model), app.TakeSnapshot());
        Assert.Equal(snapshot, Write(restored));
    }

    private static CoinOutput Output(Random random, Ed25519KeyPair[] users, ulong value) => new(users[random.Next(users.Length)].PublicKey, value);

    private static byte[] Write(IStateView view)
    {
        var output = new ArrayBufferWriter<byte>();
        view.WriteSnapshot(output);
        return output.WrittenSpan.ToArray();
    }
}
