using SmartChain.Core.Views;

namespace SmartChain.Core.Tests.Views;

public class QuorumsTests
{
    [Fact]
    public void F_and_Q_follow_their_definitions_for_4_to_31_replicas()
    {
        for (int n = 4; n <= 31; n++)
        {
            int f = Quorums.FaultThreshold(n);
            int q = Quorums.Quorum(n);
            Assert.Equal((int)Math.Floor((n - 1) / 3.0), f);
            Assert.Equal((int)Math.Ceiling((n + f + 1) / 2.0), q);
            Assert.True(2 * q - n >= f + 1, $"n={n}: two quorums must share a correct replica");
            Assert.True(q <= n - f, $"n={n}: the correct replicas alone must form a quorum");
        }
    }

    [Theory]
    [InlineData(4, 1, 3)]
    [InlineData(5, 1, 4)]
    [InlineData(6, 1, 4)]
    [InlineData(7, 2, 5)]
    [InlineData(10, 3, 7)]
    [InlineData(31, 10, 21)]
    public void Known_sizes(int n, int f, int q)
    {
        Assert.Equal(f, Quorums.FaultThreshold(n));
        Assert.Equal(q, Quorums.Quorum(n));
    }
}
