using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Core.Tests.Requests;

public sealed class ClientTableTests : IDisposable
{
    private const string Chain = "smartchain-test";
    private const long W = 10;
    private readonly Ed25519KeyPair _alice = Key(1);
    private readonly Ed25519KeyPair _bob = Key(2);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void The_window_of_instance_i_is_not_before_from_i_minus_W_to_i_minus_1()
    {
        Assert.True(ClientTable.InWindow(notBefore: 0, instance: 1, W));
        Assert.True(ClientTable.InWindow(notBefore: 90, instance: 100, W));
        Assert.False(ClientTable.InWindow(notBefore: 89, instance: 100, W));
        Assert.True(ClientTable.InWindow(notBefore: 99, instance: 100, W));
        Assert.False(ClientTable.InWindow(notBefore: 100, instance: 100, W));
        Assert.False(ClientTable.InWindow(notBefore: -1, instance: 5, W));
    }

    [Fact]
    public void A_row_expires_W_instances_after_its_last_decision_and_a_row_used_again_lives_on()
    {
        var table = new ClientTable(W);
        Assert.Equal([true], table.Record([Request(_alice, 1, 0)], 1));
        Assert.Equal([true], table.Record([Request(_bob, 1, 0)], 2));
        Assert.Equal([true], table.Record([Request(_bob, 2, 5)], 6));
        for (long i = 7; i <= 1 + W; i++)
        {
            table.Record([], i);
        }

        Assert.Equal(1UL, table.HighestDecided(_alice.PublicKey)); // instance 1 + W: still held (t = i − W)
        table.Record([], 2 + W);
        Assert.Equal(0UL, table.HighestDecided(_alice.PublicKey)); // t = 1 < i − W = 2: forgotten
        Assert.Equal(2UL, table.HighestDecided(_bob.PublicKey)); // its instance-6 decision keeps it
        table.Record([], 7 + W);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void An_expired_keys_old_request_is_never_fresh_again_and_its_new_request_is()
    {
        var table = new ClientTable(W);
        SignedRequest old = Request(_alice, 5, 0);
        Assert.Equal([true], table.Record([old], 1));
        Assert.Equal([false], table.Record([old], 2)); // a duplicate while the row is held
        for (long i = 3; i <= 40; i++)
        {
            table.Record([], i);
        }

        Assert.Equal(0, table.Count);
        Assert.Equal([false], table.Record([old], 41)); // outside its window for ever: no second execution

        // A new request of the same key, naming a recent instance, is fresh, even with a lower sequence.
        SignedRequest again = Request(_alice, 1, 40);
        Assert.Equal([true], table.Record([again], 42));
        Assert.Equal(1UL, table.HighestDecided(_alice.PublicKey));
    }

    [Fact]
    public void A_request_naming_an_instance_not_yet_decided_is_not_fresh()
    {
        var table = new ClientTable(W);
        Assert.Equal([false], table.Record([Request(_alice, 1, 3)], 3));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_table_rebuilt_from_its_entries_expires_exactly_like_the_original()
    {
        var original = new ClientTable(W);
        var rng = new Random(14);
        using var keys = new KeyRing(20);
        for (long i = 1; i <= 30; i++)
        {
            original.Record([.. Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Request(keys[rng.Next(20)], (ulong)i, i - 1))], i);
        }

        var restored = new ClientTable(W);
        restored.Reset(original.Entries);
        ClientTable cloned = original.Clone();
        for (long i = 31; i <= 50; i++)
        {
            SignedRequest[] batch = [.. Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Request(keys[rng.Next(20)], (ulong)rng.Next(1, 60), Math.Max(0, i - rng.Next(1, 15))))];
            bool[] expected = original.Record(batch, i);
            Assert.Equal(expected, restored.Record(batch, i));
            Assert.Equal(expected, cloned.Record(batch, i));
            Assert.Equal(Sorted(original), Sorted(restored));
            Assert.Equal(Sorted(original), Sorted(cloned));
        }
    }

    [Fact]
    public void No_request_is_ever_fresh_twice_whatever_a_leader_replays()
    {
        var table = new ClientTable(W);
        var rng = new Random(2026);
        using var keys = new KeyRing(12);
        var signed = new List<SignedRequest>();
        var executed = new HashSet<Hash256>();
        var orderedStale = new HashSet<Hash256>();
        for (long i = 1; i <= 400; i++)
        {
            var batch = new List<SignedRequest>();
            for (int k = rng.Next(0, 5); k > 0; k--)
            {
                batch.Add(signed.Count > 0 && rng.Next(2) == 0
                    ? signed[rng.Next(signed.Count)] // a replay of anything signed so far
                    : Request(keys[rng.Next(12)], (ulong)rng.Next(1, 30), Math.Max(0, i - rng.Next(1, 2 * (int)W))));
            }

            signed.AddRange(batch);
            bool[] fresh = table.Record(batch, i);
            for (int j = 0; j < batch.Count; j++)
            {
                Assert.True(!fresh[j] || executed.Add(batch[j].Digest), $"{batch[j]} fresh twice (instance {i})");
                Assert.True(!fresh[j] || !orderedStale.Contains(batch[j].Digest), $"{batch[j]} was ordered as a repeat, then executed (instance {i})");
                if (!fresh[j] && batch[j].NotBefore < i)
                {
                    orderedStale.Add(batch[j].Digest);
                }
            }

        }

        Assert.True(executed.Count > 60, $"only {executed.Count} executed: the test exercises too little");
        Assert.True(orderedStale.Count > 100, $"only {orderedStale.Count} repeats ordered: the test exercises too little");
        table.Record([], 401 + W);
        Assert.Equal(0, table.Count);
    }

    private static SignedRequest Request(Ed25519KeyPair key, ulong sequence, long notBefore) => SignedRequest.Create(Chain, key, sequence, notBefore, "op"u8);

    private static Ed25519KeyPair Key(byte id)
    {
        byte[] seed = new byte[32];
        seed[0] = id;
        return Ed25519KeyPair.FromSeed(seed);
    }

    private static ClientEntry[] Sorted(ClientTable table) => [.. table.Entries.OrderBy(e => e.Client)];

    private sealed class KeyRing(int count) : IDisposable
    {
        private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, count).Select(i => Key((byte)(10 + i)))];

        public Ed25519KeyPair this[int i] => _keys[i];

        public void Dispose()
        {
            foreach (Ed25519KeyPair key in _keys)
            {
                key.Dispose();
            }
        }
    }
}
