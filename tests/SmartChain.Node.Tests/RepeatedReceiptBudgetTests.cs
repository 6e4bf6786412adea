using SmartChain.Node.Pipeline;

namespace SmartChain.Node.Tests;

/// <summary>A client repeating decided requests cannot make the ledger loop read blocks back without bound.</summary>
public class RepeatedReceiptBudgetTests
{
    [Fact]
    public void At_most_the_budget_per_second_then_none_until_the_next_second()
    {
        long now = 0;
        var budget = new RepeatedReceiptBudget(perSecond: 3, clock: () => now, frequency: 1_000);

        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => budget.TryTake()));
        now = 999;
        Assert.False(budget.TryTake());
        now = 1_000;
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => budget.TryTake()));
    }
}
