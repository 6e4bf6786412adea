using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Node.Tests;

/// <summary>
/// Replicas 0–2 of a four-replica view decide a request among themselves (real cores, messages delivered in order);
/// what they sent replica 3 is kept, so a test can hand it to a replica 3 under test in one burst.
/// </summary>
internal static class ThreeReplicaDecision
{
    // Runs replicas 0–2 until they decide the request; returns, in order, what they sent replica 3 (or broadcast).
    public static List<(int From, ConsensusMessage Message)> Run(View view, string chain, Ed25519KeyPair[] keys, ConsensusOptions options, SignedRequest request)
    {
        ReplicaCore[] cores = [.. Enumerable.Range(0, 3).Select(i => new ReplicaCore(i, view, chain, keys[i], options, r => r.Verify(chain)))];
        var toReplica3 = new List<(int, ConsensusMessage)>();
        var inFlight = new Queue<(int From, int To, ConsensusMessage Message)>();
        foreach (ReplicaCore core in cores)
        {
            core.Submit(request);
        }

        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach (ReplicaCore core in cores)
            {
                foreach (OutboundMessage outbound in core.TakeReady().Messages)
                {
                    moved = true;
                    for (int to = 0; to < 4; to++)
                    {
                        if (to != core.Id && (outbound.To is null || outbound.To == to))
                        {
                            inFlight.Enqueue((core.Id, to, outbound.Message));
                        }
                    }
                }
            }

            while (inFlight.TryDequeue(out var message))
            {
                moved = true;
                if (message.To == 3)
                {
                    toReplica3.Add((message.From, message.Message));
                }
                else
                {
                    cores[message.To].Step(message.From, message.Message);
                }
            }
        }

        Assert.All(cores, core => Assert.Equal(1, core.LastDecided));
        return toReplica3;
    }

    /// <summary>A key pair from a one-byte seed, so tests name their keys.</summary>
    public static Ed25519KeyPair Key(byte id)
    {
        byte[] seed = new byte[32];
        seed[0] = id;
        return Ed25519KeyPair.FromSeed(seed);
    }
}
