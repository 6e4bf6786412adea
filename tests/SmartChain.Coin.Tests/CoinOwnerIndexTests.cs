using SmartChain.Core.Crypto;

namespace SmartChain.Coin.Tests;

/// <summary>
/// The owner index changes owners through builders within a batch and writes them at <see cref="CoinOwnerIndex.Publish"/>:
/// what readers see after each publish must be exactly a plain model's state, and nothing of a batch before it.
/// </summary>
public class CoinOwnerIndexTests
{
    private static Ed25519PublicKey Owner(int i) => new([.. Enumerable.Repeat((byte)(i + 1), Ed25519PublicKey.Size)]);

    [Fact]
    public void Published_state_matches_a_plain_model_after_every_batch_of_random_adds_and_removes()
    {
        var index = new CoinOwnerIndex();
        var model = new Dictionary<int, Dictionary<Hash256, ulong>>();
        var random = new Random(16);
        int next = 0;
        for (int batch = 0; batch < 60; batch++)
        {
            var before = Enumerable.Range(0, 5).ToDictionary(o => o, o => index.Of(Owner(o)));
            for (int op = random.Next(1, 30); op > 0; op--)
            {
                int owner = random.Next(5);
                Dictionary<Hash256, ulong> coins = model.TryGetValue(owner, out var held) ? held : model[owner] = [];
                if (coins.Count > 0 && random.Next(3) == 0)
                {
                    Hash256 spent = coins.Keys.ElementAt(random.Next(coins.Count));
                    index.Remove(Owner(owner), spent, coins[spent]);
                    coins.Remove(spent);
                }
                else
                {
                    Hash256 id = Hash256.Compute(BitConverter.GetBytes(next++));
                    ulong value = (ulong)random.Next(1, 1000);
                    index.Add(Owner(owner), id, value);
                    coins[id] = value;
                }
            }

            // Nothing of the batch is visible before it is published.
            Assert.All(before, b => Assert.Same(b.Value, index.Of(Owner(b.Key))));
            index.Publish();
            for (int owner = 0; owner < 5; owner++)
            {
                CoinOwnerIndex.OwnerCoins? published = index.Of(Owner(owner));
                Dictionary<Hash256, ulong> expected = model.GetValueOrDefault(owner) ?? [];
                if (expected.Count == 0)
                {
                    Assert.Null(published); // an owner left without coins leaves the index
                    continue;
                }

                Assert.Equal(expected.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)), published!.Coins.ToList()); // the set's own order: by id
                Assert.Equal((UInt128)expected.Values.Aggregate(0UL, (a, v) => a + v), published.Total);
            }
        }
    }

    [Fact]
    public void An_owner_emptied_and_refilled_within_one_batch_holds_only_the_new_coins()
    {
        var index = new CoinOwnerIndex();
        Hash256 a = Hash256.Compute("a"u8);
        Hash256 b = Hash256.Compute("b"u8);
        index.Add(Owner(0), a, 5);
        index.Publish();

        index.Remove(Owner(0), a, 5);
        index.Add(Owner(0), b, 7);
        index.Remove(Owner(9), b, 7); // an owner the index never held: nothing happens
        Assert.Equal([(a, 5UL)], index.Of(Owner(0))!.Coins.ToList());
        index.Publish();

        Assert.Equal([(b, 7UL)], index.Of(Owner(0))!.Coins.ToList());
        Assert.Equal((UInt128)7, index.Of(Owner(0))!.Total);
        Assert.Null(index.Of(Owner(9)));
    }
}
