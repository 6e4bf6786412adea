using System.Diagnostics;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>The budget of serving state transfer: per peer in flight, per peer rate, total bytes; a release frees it.</summary>
public class ServeBudgetTests
{
    private static readonly TransferOptions Options = TransferOptions.Default with { MaxServingPerPeer = 2, MaxServingBytes = 10, ServeRequestsPerSecond = 5 };

    [Fact]
    public void A_peer_gets_at_most_its_share_in_flight_and_a_release_frees_it()
    {
        var budget = new ServeBudget(Options, () => 0);
        Assert.Null(budget.TryAdmit(1, 1));
        Assert.Null(budget.TryAdmit(1, 1));
        Assert.Contains("2 of its requests are being served already (at most 2)", budget.TryAdmit(1, 1), StringComparison.Ordinal);
        Assert.Null(budget.TryAdmit(2, 1)); // another peer is not held up by it
        budget.Release(1, 1);
        Assert.Null(budget.TryAdmit(1, 1));
        Assert.Equal(1, budget.RefusedFrom(1));
        Assert.Equal(0, budget.RefusedFrom(2));
    }

    [Fact]
    public void Bytes_in_flight_are_bounded_across_all_peers()
    {
        var budget = new ServeBudget(Options, () => 0);
        Assert.Null(budget.TryAdmit(1, 6));
        Assert.Contains("at most 0.0 MB", budget.TryAdmit(2, 5), StringComparison.Ordinal);
        Assert.Null(budget.TryAdmit(2, 4));
        Assert.Equal(10, budget.BytesInFlight);
        budget.Release(1, 6);
        budget.Release(2, 4);
        Assert.Equal(0, budget.BytesInFlight);
        budget.Release(2, 4); // a release without an admission changes nothing
        Assert.Equal(0, budget.BytesInFlight);
    }

    [Fact]
    public void A_peer_over_its_rate_is_refused_until_the_bucket_refills()
    {
        long now = 0;
        var budget = new ServeBudget(Options with { MaxServingPerPeer = 100, MaxServingBytes = 1000 }, () => now);
        for (int i = 0; i < 5; i++)
        {
            Assert.Null(budget.TryAdmit(1, 0));
        }

        Assert.Contains("more than 5 requests a second", budget.TryAdmit(1, 0), StringComparison.Ordinal);
        now += Stopwatch.Frequency / 5; // a fifth of a second: one more request
        Assert.Null(budget.TryAdmit(1, 0));
        Assert.NotNull(budget.TryAdmit(1, 0));
        now += Stopwatch.Frequency * 10; // refills to one second's worth, no more
        for (int i = 0; i < 5; i++)
        {
            Assert.Null(budget.TryAdmit(1, 0));
        }

        Assert.NotNull(budget.TryAdmit(1, 0));
    }
}
