using CsCheck;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public class CoinPropertyTests
{
    /// <summary>One random step; interpreted against the state so that it is valid often and invalid in every way.</summary>
    public sealed record CoinStep(int Kind, int Signer, int[] Picks, int OutputCount, ulong Tweak, bool Mismatch);

    private static readonly Gen<CoinStep> StepGen =
        from kind in Gen.Int[0, 9]
        from signer in Gen.Int[0, 3]
        from picks in Gen.Int[0, 10_000].Array[0, 4]
        from outputs in Gen.Int[0, 3]
        from tweak in Gen.ULong[0, 50]
        from mismatch in Gen.Int[0, 5]
        select new CoinStep(kind, signer, picks, outputs, tweak, mismatch == 0);

    [Fact]
    public void Random_streams_conserve_value_never_double_spend_and_replay_identically()
    {
        Gen.Select(StepGen.Array[1, 80], Gen.Int[1, 10]).Sample((steps, batchSize) => Check(steps, batchSize), iter: 150, threads: 1);
    }

    private static void Check(CoinStep[] steps, int batchSize)
    {
        using var f = new CoinFixture();
        Ed25519KeyPair[] keys = [f.Minter, f.Alice, f.Bob, f.Carol];
        var created = new List<(Hash256 Id, CoinOutput Coin)>();
        var spent = new HashSet<Hash256>();
        var requests = new List<SignedRequest>();
        var results = new List<byte[]>();
        UInt128 minted = 0;

        foreach (CoinStep step in steps)
        {
            SignedRequest request = f.Sign(keys[step.Signer], Build(step, keys, created));
            CoinResult result = f.App.Execute(request);
            requests.Add(request);
            results.Add(result.Encode());
            if (!result.Succeeded)
            {
                continue;
            }

            CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
            foreach (Hash256 input in op!.Inputs)
            {
                Assert.True(spent.Add(input), $"coin {input} spent twice");
            }

            if (op.Kind == CoinOperationKind.Mint)
            {
                minted += op.Outputs.Aggregate(UInt128.Zero, (sum, o) => sum + o.Value);
            }

            for (int i = 0; i < op.Outputs.Count; i++)
            {
                Assert.DoesNotContain(created, c => c.Id == result.CreatedCoins[i]);
                created.Add((result.CreatedCoins[i], op.Outputs[i]));
            }

            Assert.Equal(minted, f.App.TotalValue);
        }

        Hash256 finalHash = f.App.ComputeStateHash();

        // Replay in a fresh state, batched differently.
        var replay = new CoinApplication(CoinFixture.Chain, [f.Minter.PublicKey]);
        var replayResults = new List<byte[]>();
        for (int at = 0; at < requests.Count; at += batchSize)
        {
            replayResults.AddRange(replay.ExecuteBatch(new BatchContext(at, at), requests.Skip(at).Take(batchSize).ToList()));
        }

        Assert.Equal(results, replayResults);
        Assert.Equal(finalHash, replay.ComputeStateHash());

        // Replay half, move the state through a snapshot (its dictionary is refilled in sorted order), finish.
        int half = requests.Count / 2;
        var first = new CoinApplication(CoinFixture.Chain, [f.Minter.PublicKey]);
        IReadOnlyList<byte[]> firstResults = first.ExecuteBatch(new BatchContext(1, 1), requests.Take(half).ToList());
        var second = new CoinApplication(CoinFixture.Chain, []);
        second.RestoreSnapshot(first.TakeSnapshot());
        IReadOnlyList<byte[]> secondResults = second.ExecuteBatch(new BatchContext(2, 2), requests.Skip(half).ToList());
        Assert.Equal(results, [.. firstResults, .. secondResults]);
        Assert.Equal(finalHash, second.ComputeStateHash());
    }

    private static byte[] Build(CoinStep step, Ed25519KeyPair[] keys, List<(Hash256 Id, CoinOutput Coin)> created)
    {
        CoinOutput Output(int i, ulong value) => new(keys[(step.Signer + i + 1) % keys.Length].PublicKey, value);

        if (step.Kind <= 2 || created.Count == 0)
        {
            ulong value = step.Kind == 2 ? (ulong.MaxValue / 2) + step.Tweak : step.Tweak + 1;
            return CoinOperation.Mint([.. Enumerable.Range(0, step.OutputCount).Select(i => Output(i, value + (ulong)i))]).Encode();
        }

        // Inputs come from every coin ever created, spent or not, owned by anyone: all the ways a SPEND fails.
        Hash256[] inputs = [.. step.Picks.Select(p => created[p % created.Count].Id)];
        UInt128 total = step.Picks.Aggregate(UInt128.Zero, (sum, p) => sum + created[p % created.Count].Coin.Value);
        if (step.Mismatch)
        {
            total += step.Tweak + 1;
        }

        if (step.OutputCount == 0 || total > ulong.MaxValue)
        {
            return CoinOperation.Spend(inputs, step.OutputCount == 0 ? [] : [Output(0, ulong.MaxValue)]).Encode();
        }

        ulong each = (ulong)total / (ulong)step.OutputCount;
        ulong rest = (ulong)total - (each * (ulong)(step.OutputCount - 1));
        return CoinOperation.Spend(inputs, [.. Enumerable.Range(0, step.OutputCount).Select(i => Output(i, i == 0 ? rest : each))]).Encode();
    }
}
