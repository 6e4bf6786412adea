using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Views change at a decision boundary: a decided request that may change the view stops ordering until each replica's
/// execution says which view is in force after it; the next instance is ordered in that view, by its members, with
/// their keys of that view.
/// </summary>
public sealed class ViewChangeTests : IDisposable
{
    private readonly Ed25519KeyPair[] _next = [.. Enumerable.Range(0, 5).Select(i => TestCluster.Key((byte)(200 + i)))];
    private readonly TestCluster _cluster;
    private readonly Ed25519KeyPair _alice = TestCluster.Key(7);
    private View? _view1;

    public ViewChangeTests() => _cluster = new TestCluster(n: 5, view: ViewZero);

    public void Dispose()
    {
        _cluster.Dispose();
        Array.ForEach(_next, k => k.Dispose());
        _alice.Dispose();
    }

    [Fact]
    public void A_view_changing_decision_stops_ordering_until_execution_resolves_it()
    {
        _cluster.Submit(Leave(0, sequence: 1));
        Assert.All(_cluster.Cores, c => Assert.Equal(1L, c.AwaitingViewAfter));
        Assert.True(Assert.Single(_cluster.Decisions[1]).AwaitsView);

        _cluster.Submit(TestCluster.Request(_alice, 2));
        _cluster.TickAll(50);
        Assert.All(_cluster.Decisions, d => Assert.Single(d)); // nothing more is ordered behind the barrier
        Assert.DoesNotContain(_cluster.Events[2], e => e.Kind == "too-far-ahead");

        // Execution refused the LEAVE (the view stays): ordering resumes in view 0.
        for (int i = 0; i < 5; i++)
        {
            _cluster.Resume(i, 1, _cluster.View, _cluster.Keys[i]);
        }

        Assert.All(_cluster.Decisions, d => Assert.Equal(2, d.Count));
        Assert.All(_cluster.Cores, c => Assert.Equal(0L, c.View.Id));
    }

    [Fact]
    public void Removing_the_leader_moves_every_replica_to_the_next_regency_at_once_and_the_new_view_orders()
    {
        _cluster.Submit(Leave(0, sequence: 1));
        View next = ViewOne();
        for (int i = 0; i < 5; i++)
        {
            _cluster.Resume(i, 1, next, i == 0 ? null : _next[i]);
        }

        Assert.False(_cluster.Cores[0].IsMember);
        for (int i = 1; i < 5; i++)
        {
            Assert.True(_cluster.Cores[i].IsMember);
            Assert.Equal((1L, 1, 2), (_cluster.Cores[i].View.Id, _cluster.Cores[i].Regency, _cluster.Cores[i].Leader));
            Assert.Contains(_cluster.Events[i], e => e.Kind == "view-installed");
        }

        Assert.Equal(1, _cluster.Cores[1].RegencyChanges["leader-removed"]);
        _cluster.Submit(TestCluster.Request(_alice, 2), 1, 2, 3, 4);

        for (int i = 1; i < 5; i++)
        {
            Decision decided = _cluster.Decisions[i][1];
            Assert.Equal((2L, 1L), (decided.Instance, decided.ViewId));
            Assert.Null(decided.Proof.Verify(next, TestCluster.Chain, 2, decided.Regency, decided.BatchHash)); // signed with view-1 keys
            Assert.NotNull(decided.Proof.Verify(_cluster.View, TestCluster.Chain, 2, decided.Regency, decided.BatchHash));
        }

        Assert.Single(_cluster.Decisions[0]); // the removed replica orders nothing
    }

    [Fact]
    public void Messages_of_the_next_view_wait_for_a_replica_still_behind_the_barrier()
    {
        _cluster.Submit(Leave(0, sequence: 1));
        View next = ViewOne();
        for (int i = 1; i < 4; i++)
        {
            _cluster.Resume(i, 1, next, _next[i]);
        }

        _cluster.Submit(TestCluster.Request(_alice, 2), 1, 2, 3, 4);
        Assert.Single(_cluster.Decisions[4]); // replica 4 has not executed instance 1 yet: the others' votes wait

        _cluster.Resume(4, 1, next, _next[4]);
        Assert.Equal(2, _cluster.Decisions[4].Count);
        Assert.Equal(1L, _cluster.Decisions[4][1].ViewId);
    }

    [Fact]
    public void The_first_leader_change_of_a_new_view_completes()
    {
        // The STOPDATAs of the first leader change after a view change carry the last decision, which was proven in the
        // old view. Before the fix the leader verified that proof against the new view, refused every STOPDATA as
        // evidence, and the regency never synced.
        _cluster.Submit(Leave(0, sequence: 1));
        View next = ViewOne();
        for (int i = 0; i < 5; i++)
        {
            _cluster.Resume(i, 1, next, i == 0 ? null : _next[i]);
        }

        _cluster.Filter = (from, to, _) => from != 2 && to != 2; // replica 2, the leader of regency 1 in view 1, is dead
        _cluster.Submit(TestCluster.Request(_alice, 2), 1, 3, 4);
        _cluster.TickAll(300);

        foreach (int i in (int[])[1, 3, 4])
        {
            Assert.DoesNotContain(_cluster.Events[i], e => e.Kind == "invalid-stopdata");
            Assert.Equal((2L, 1L, 2), (_cluster.Decisions[i][^1].Instance, _cluster.Decisions[i][^1].ViewId, _cluster.Decisions[i][^1].Regency));
        }
    }

    [Fact]
    public void A_removed_replica_that_missed_the_decision_removing_it_gets_it_by_fetch_from_the_new_view()
    {
        // Whole-replica simulator, seed 5: replica 4 leaves and misses the last ACCEPT of the instance that removes it.
        // The members move to view 1 without it; it asks for the decision, but they refused its FETCH as coming from a
        // replica outside their view ("unknown-sender"), so it never learnt it was removed and never retired.
        _cluster.Filter = (_, to, m) => !(to == 4 && m is Messages.Accept);
        _cluster.Submit(Leave(4, sequence: 1));
        Assert.Empty(_cluster.Decisions[4]);
        View without4 = new(1, Enumerable.Range(0, 4).Select(i => Member(i, _cluster.Keys[i].PublicKey, 1)));
        for (int i = 0; i < 4; i++)
        {
            _cluster.Resume(i, 1, without4, _next[i]);
        }

        _cluster.Filter = (_, _, _) => true;
        _cluster.TickAll(10); // replica 4 retransmits its votes and asks for the decision (FETCH)

        Decision learnt = Assert.Single(_cluster.Decisions[4]);
        Assert.True(learnt.AwaitsView); // its execution then runs the LEAVE and finds itself outside view 1
        Assert.Null(learnt.Proof.Verify(_cluster.View, TestCluster.Chain, 1, learnt.Regency, learnt.BatchHash));
        Assert.Contains(_cluster.Sent, s => s.From < 4 && s.To == 4 && s.Message is Messages.DecisionMessage { Instance: 1 }); // answered in view 1
    }

    [Fact]
    public void A_key_that_is_not_the_replicas_key_of_the_new_view_is_refused()
    {
        _cluster.Submit(Leave(0, sequence: 1));
        Assert.Throws<ArgumentException>(() => _cluster.Cores[1].ResumeAfter(1, ViewOne(), _cluster.Keys[1]));
    }

    private SignedRequest Leave(int replica, ulong sequence) =>
        SignedRequest.Create(TestCluster.Chain, _cluster.Keys[replica], sequence, 0, [SystemOperation.Tag, (byte)SystemOperationKind.Leave, (byte)replica, 0, 0, 0]);

    // Two-key chains: key 0 (the cluster's key) for view 0, key 1 for view 1.
    private View ViewZero(Ed25519KeyPair[] keys) =>
        new(0, Enumerable.Range(0, keys.Length).Select(i => Member(i, keys[i].PublicKey, 0)));

    private View ViewOne() => _view1 ??= new View(1, Enumerable.Range(1, 4).Select(i => Member(i, _cluster.Keys[i].PublicKey, 1)));

    private ReplicaMember Member(int i, Ed25519PublicKey identity, long viewId)
    {
        Ed25519PublicKey[] chain = [identity, _next[i].PublicKey];
        var commitment = KeyChainCommitment.Create(chain, 0);
        return new ReplicaMember(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), identity, commitment, commitment.Prove(chain, viewId));
    }
}
