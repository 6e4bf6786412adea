using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Issue 14: a Byzantine leader ordering requests of ever-new keys must not grow the replicated client table forever.
/// Rows expire W instances after their key's last ordered request; requests name a not-before inside the window.
/// </summary>
public sealed class ClientTableExpiryTests : IDisposable
{
    private const int Window = 16;
    private readonly TestCluster _cluster = new(maxBatch: 8, requestWindow: Window);
    private readonly Ed25519KeyPair _honest = TestCluster.Key(99);
    private ulong _honestSequence;

    public void Dispose()
    {
        _cluster.Dispose();
        _honest.Dispose();
    }

    [Fact]
    public void Entries_of_fresh_keys_a_leader_ordered_are_gone_after_W_more_instances()
    {
        var fresh = Enumerable.Range(0, 40).Select(i => TestCluster.Key((byte)(10 + i))).ToList();
        // Only the leader has them: it chose to order them (a correct replica's door filter would have refused them).
        foreach (Ed25519KeyPair key in fresh.Skip(1))
        {
            _cluster.Cores[0].Submit(TestCluster.Request(key, 1));
        }

        _cluster.Submit(TestCluster.Request(fresh[0], 1), 0);

        long after = _cluster.Cores[1].LastDecided;
        Assert.True(after >= 5);
        Assert.Equal(40, _cluster.Cores[1].Clients.Count);
        OrderHonest(Window + 1);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(after + Window + 1, _cluster.Cores[i].LastDecided);
            Assert.Equal(0, fresh.Count(k => _cluster.Cores[i].Clients.HighestDecided(k.PublicKey) != 0));
            Assert.Equal(1, _cluster.Cores[i].Clients.Count);
        }

        fresh.ForEach(k => k.Dispose());
    }

    [Fact]
    public void A_replayed_old_request_of_an_expired_key_is_refused_and_a_new_one_of_that_key_is_ordered()
    {
        using Ed25519KeyPair key = TestCluster.Key(7);
        SignedRequest old = TestCluster.Request(key, 5);
        _cluster.Submit(old);
        Assert.True(Assert.Single(_cluster.Decisions[1]).Fresh[0]);
        OrderHonest(Window + 1);
        Assert.Equal(0UL, _cluster.Cores[1].Clients.HighestDecided(key.PublicKey));

        // A correct replica does not take it into its pool, and refuses a leader's proposal that holds it.
        Assert.Equal(PoolAddResult.OutsideWindow, _cluster.Cores[1].Submit(old));
        long open = _cluster.Cores[1].LastDecided + 1;
        _cluster.Inject(0, 1, new Propose(0, open, 0, [old]));
        Assert.Contains(_cluster.Events[1], e => e.Kind == "invalid-proposal" && e.From == 0);
        Assert.Equal(open - 1, _cluster.Cores[1].LastDecided);

        // The same key, naming a recent instance, is ordered and executed, even with a lower sequence.
        SignedRequest again = TestCluster.Request(key, 1, notBefore: open - 1);
        _cluster.Submit(again);
        for (int i = 0; i < 4; i++)
        {
            Decision last = _cluster.Decisions[i][^1];
            Assert.Equal(again.Digest, Assert.Single(last.Batch).Digest);
            Assert.True(last.Fresh[0]);
            Assert.Equal(1UL, _cluster.Cores[i].Clients.HighestDecided(key.PublicKey));
        }
    }

    [Fact]
    public void The_pool_refuses_requests_outside_the_next_window_and_drops_those_whose_window_passed()
    {
        using Ed25519KeyPair key = TestCluster.Key(8);
        var pool = new RequestPool(100, 100, Window);
        var table = new ClientTable(Window);
        pool.Open(20);
        Assert.Equal(PoolAddResult.OutsideWindow, pool.Add(TestCluster.Request(key, 1, notBefore: 3), table)); // 20 − 3 > W
        Assert.Equal(PoolAddResult.OutsideWindow, pool.Add(TestCluster.Request(key, 1, notBefore: 20), table)); // not decided yet
        SignedRequest early = TestCluster.Request(key, 1, notBefore: 4);
        SignedRequest later = TestCluster.Request(key, 2, notBefore: 19);
        Assert.Equal(PoolAddResult.Added, pool.Add(early, table));
        Assert.Equal(PoolAddResult.Added, pool.Add(later, table));

        pool.Open(21); // `early` can no longer be ordered: dropped when a batch reaches it, `later` goes on
        Assert.Equal([later.Digest], pool.SelectBatch(8, int.MaxValue).Select(r => r.Digest));
        Assert.Equal(1, pool.Count);
    }

    private void OrderHonest(int instances)
    {
        for (int k = 0; k < instances; k++)
        {
            _cluster.Submit(TestCluster.Request(_honest, ++_honestSequence, notBefore: _cluster.Cores[0].LastDecided));
        }
    }

    [Fact]
    public void A_checkpoint_capture_holds_the_rows_as_they_were_and_nothing_decided_after_it()
    {
        using Ed25519KeyPair other = TestCluster.Key(8);
        _cluster.Submit(TestCluster.Request(_honest, ++_honestSequence));
        ClientTable table = _cluster.Cores[1].Clients;
        ClientEntry[] captured = table.CaptureEntries();
        Assert.Equal(table.Entries.OrderBy(e => e.Client), captured.OrderBy(e => e.Client));

        _cluster.Submit(TestCluster.Request(other, 1));
        _cluster.Submit(TestCluster.Request(_honest, ++_honestSequence));
        Assert.Equal(2, table.Count);
        ClientEntry row = Assert.Single(captured);
        Assert.Equal((_honest.PublicKey, 1UL), (row.Client, row.Sequence));
    }
}
