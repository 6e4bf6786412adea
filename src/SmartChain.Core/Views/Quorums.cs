namespace SmartChain.Core.Views;

/// <summary>
/// Fault threshold and quorum size of a view of n replicas, written out exactly (the Java reference hid them
/// behind integer division and a no-op Math.ceil).
/// </summary>
public static class Quorums
{
    /// <summary>f = ⌊(n−1)/3⌋: the most Byzantine replicas n can tolerate.</summary>
    public static int FaultThreshold(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return (n - 1) / 3;
    }

    /// <summary>
    /// Q = ⌈(n+f+1)/2⌉, the Byzantine quorum: any two quorums share at least f+1 replicas (so a correct one), and
    /// n − f correct replicas can always form one. For n = 3f+1 this is 2f+1.
    /// </summary>
    public static int Quorum(int n)
    {
        int f = FaultThreshold(n);
        return (n + f + 2) / 2; // ⌈a/2⌉ = ⌊(a+1)/2⌋ with a = n+f+1
    }
}
