namespace SmartChain.Core;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose output is fixed by its definition, unlike
/// <see cref="Random"/>, whose algorithm may change between .NET versions. Workloads and simulations must be
/// reproducible from their seed.
/// </summary>
/// <param name="seed">The seed; equal seeds give equal sequences.</param>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) (bias below 2^-32 for bounds under 2^32, irrelevant for load).</summary>
    public ulong NextBelow(ulong bound) => bound == 0 ? 0 : Next() % bound;

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int NextInt(int min, int max) => min + (int)NextBelow((ulong)(max - min + 1));

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => probability > 0 && (Next() >> 11) * (1.0 / (1UL << 53)) < probability;
}
