using SmartChain.Core;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// How each of a run's crash-restarts (<see cref="SimFaults.Crashes"/>) happens, drawn from the seed; every replica is
/// on its own simulated disk (<see cref="TestSupport.Storage.SimulatedDisk"/>). The crash windows are one replica at a
/// time, so these faults too touch at most f = 1 replica at once.
/// </summary>
internal sealed record SimDiskFaults
{
    /// <summary>The kind of crash-restart <c>k</c> of the run (<see cref="SimCrash.Clean"/> when the list is shorter).</summary>
    public IReadOnlyList<SimCrash> Kinds { get; init; } = [];

    /// <summary>Seeds the replicas' disks (torn tails, which bit a corrupted read flips).</summary>
    public ulong DiskSeed { get; init; }

    /// <summary>The kind of crash-restart number <paramref name="index"/>.</summary>
    public SimCrash KindOf(int index) => index < Kinds.Count ? Kinds[index] : SimCrash.Clean;

    /// <summary>Draws a kind for each of <paramref name="crashes"/> crash-restarts from <paramref name="seed"/>.</summary>
    public static SimDiskFaults Draw(ulong seed, int crashes)
    {
        // A stream of its own, so the network faults a seed drew before disks were simulated stay as they were.
        var random = new SplitMix64((seed * 0xD1B54A32D192ED03UL) + 101);
        var kinds = new SimCrash[crashes];
        for (int i = 0; i < crashes; i++)
        {
            kinds[i] = (SimCrash)random.NextBelow(5);
        }

        return new SimDiskFaults { Kinds = kinds, DiskSeed = random.Next() };
    }

    /// <summary>The disk fault classes this run exercises, for the per-1,000-seeds counts.</summary>
    public IEnumerable<string> Classes(int crashes)
    {
        var seen = new HashSet<SimCrash>();
        for (int i = 0; i < crashes; i++)
        {
            SimCrash kind = KindOf(i);
            if (kind != SimCrash.Clean && seen.Add(kind))
            {
                yield return kind switch
                {
                    SimCrash.Abrupt => "abrupt crash",
                    SimCrash.PowerCut => "power cut",
                    SimCrash.FailedSync => "failed fsync",
                    _ => "corrupted read",
                };
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"disk crashes [{string.Join(", ", Kinds)}]";
}
