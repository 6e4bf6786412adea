using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly CoinFixture _f = new();

    public SnapshotTests()
    {
        IReadOnlyList<Hash256> coins = _f.Mint(_f.Alice, 3, 4, 5);
        _f.Run(_f.Alice, CoinOperation.Spend([coins[0], coins[1]], [new CoinOutput(_f.Bob.PublicKey, 7)]));
        _f.Mint(_f.Carol, 9);
    }

    public void Dispose() => _f.Dispose();

    private static CoinApplication Fresh() => new(CoinFixture.Chain, []);

    [Fact]
    public void Restoring_a_snapshot_gives_the_same_state_and_hash()
    {
        byte[] snapshot = _f.App.TakeSnapshot();
        CoinApplication restored = Fresh();
        restored.RestoreSnapshot(snapshot);

        Assert.Equal(_f.App.ComputeStateHash(), restored.ComputeStateHash());
        Assert.Equal(Hash256.Compute(snapshot), restored.ComputeStateHash());
        Assert.Equal(snapshot, restored.TakeSnapshot());
        Assert.Equal(_f.App.TotalValue, restored.TotalValue);
        Assert.True(restored.IsMinter(_f.Minter.PublicKey));
    }

    [Fact]
    public void The_snapshot_is_sorted_by_coin_id()
    {
        byte[] snapshot = _f.App.TakeSnapshot();
        int coinsAt = 2 + 4 + 32 + 4;
        var ids = new List<Hash256>();
        for (int at = coinsAt; at < snapshot.Length; at += 72)
        {
            ids.Add(new Hash256(snapshot.AsSpan(at, 32)));
        }

        Assert.Equal(_f.App.CoinCount, ids.Count);
        Assert.Equal(ids.Order(), ids);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "tag", "bad tag" },
        { "version", "snapshot version 9" },
        { "truncate", "remain" },
        { "trailing", "trailing" },
        { "swap", "strictly increasing id order" },
        { "count", "count" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_snapshot_is_refused_with_a_reason_and_the_state_is_kept(string corruption, string reason)
    {
        byte[] snapshot = _f.App.TakeSnapshot();
        int coinsAt = 2 + 4 + 32 + 4;
        byte[] bad = corruption switch
        {
            "tag" => [0x00, .. snapshot[1..]],
            "version" => [snapshot[0], 9, .. snapshot[2..]],
            "truncate" => snapshot[..^5],
            "trailing" => [.. snapshot, 0],
            "swap" => [.. snapshot[..coinsAt], .. snapshot[(coinsAt + 72)..(coinsAt + 144)], .. snapshot[coinsAt..(coinsAt + 72)], .. snapshot[(coinsAt + 144)..]],
            "count" => [.. snapshot[..(coinsAt - 4)], 0xFF, 0xFF, 0xFF, 0x7F, .. snapshot[coinsAt..]],
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };

        CoinApplication target = new(CoinFixture.Chain, []);
        target.RestoreSnapshot(snapshot);
        Hash256 before = target.ComputeStateHash();
        var e = Assert.Throws<EncodingException>(() => target.RestoreSnapshot(bad));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.ComputeStateHash());
    }

    [Fact]
    public void Different_states_have_different_hashes()
    {
        Hash256 before = _f.App.ComputeStateHash();
        _f.Mint(_f.Bob, 1);
        Assert.NotEqual(before, _f.App.ComputeStateHash());
    }
}
