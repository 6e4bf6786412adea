using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// n real cores wired by an in-memory router that delivers every message in FIFO order, synchronously. Tests
/// inject messages as any replica, drop messages with a filter, and read decisions and events per replica.
/// </summary>
public sealed class TestCluster : IDisposable
{
    public const string Chain = "consensus-test";
    private readonly Queue<(int From, int To, ConsensusMessage Message)> _inFlight = new();
    private readonly int _requestTimeoutTicks;
    private readonly long _requestWindow;

    public TestCluster(int n = 4, int maxBatch = 64, int requestTimeoutTicks = 200, Func<Ed25519KeyPair[], View>? view = null, long requestWindow = 10_000)
    {
        _requestTimeoutTicks = requestTimeoutTicks;
        _requestWindow = requestWindow;
        Keys = [.. Enumerable.Range(0, n).Select(i => Key((byte)(100 + i)))];
        View = view?.Invoke(Keys) ?? new View(0, Enumerable.Range(0, n).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), Keys[i].PublicKey)));
        var options = new ConsensusOptions { MaxBatch = maxBatch, RetransmitTicks = 5, RequestTimeoutTicks = requestTimeoutTicks, RequestWindow = requestWindow };
        Cores = [.. Enumerable.Range(0, n).Select(i => new ReplicaCore(i, View, Chain, Keys[i], options, r => r.Verify(Chain)))];
        Decisions = [.. Enumerable.Range(0, n).Select(_ => new List<Decision>())];
        Events = [.. Enumerable.Range(0, n).Select(_ => new List<ConsensusEvent>())];
        Persisted = [.. Enumerable.Range(0, n).Select(_ => new List<VoteRecord>())];
    }

    public Ed25519KeyPair[] Keys { get; }

    public View View { get; }

    public ReplicaCore[] Cores { get; }

    public List<Decision>[] Decisions { get; }

    public List<ConsensusEvent>[] Events { get; }

    public List<VoteRecord>[] Persisted { get; }

    /// <summary>Messages for which this returns false are dropped.</summary>
    public Func<int, int, ConsensusMessage, bool> Filter { get; set; } = (_, _, _) => true;

    /// <summary>
    /// What replica <c>from</c>'s message becomes on its way to <c>to</c> (after <see cref="Filter"/>): a Byzantine
    /// sender's lies, told per destination. Null drops it.
    /// </summary>
    public Func<int, int, ConsensusMessage, ConsensusMessage?> Rewrite { get; set; } = (_, _, m) => m;

    /// <summary>Every message sent, in order.</summary>
    public List<(int From, int? To, ConsensusMessage Message)> Sent { get; } = [];

    public static Ed25519KeyPair Key(byte id)
    {
        byte[] seed = new byte[32];
        seed[0] = id;
        return Ed25519KeyPair.FromSeed(seed);
    }

    public static SignedRequest Request(Ed25519KeyPair client, ulong sequence, string operation = "op", long notBefore = 0) =>
        SignedRequest.Create(Chain, client, sequence, notBefore, System.Text.Encoding.UTF8.GetBytes(operation));

    /// <summary>Gives the request to the given replicas (all by default), as their drivers would after verifying it.</summary>
    public void Submit(SignedRequest request, params int[] replicas)
    {
        foreach (int i in replicas.Length == 0 ? Enumerable.Range(0, Cores.Length) : replicas)
        {
            Cores[i].Submit(request);
            Drain(i);
        }

        Run();
    }

    /// <summary>Delivers <paramref name="message"/> to <paramref name="to"/> as if <paramref name="from"/> sent it.</summary>
    public void Inject(int from, int to, ConsensusMessage message)
    {
        Cores[to].Step(from, message);
        Drain(to);
        Run();
    }

    public void TickAll(int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            for (int i = 0; i < Cores.Length; i++)
            {
                Cores[i].Tick();
                Drain(i);
            }

            Run();
        }
    }

    /// <summary>Delivers messages until none are in flight.</summary>
    public void Run()
    {
        while (_inFlight.TryDequeue(out var item))
        {
            Cores[item.To].Step(item.From, item.Message);
            Drain(item.To);
        }
    }

    /// <summary>
    /// Replaces replica <paramref name="i"/> by a fresh core, as after a crash: it resumes after
    /// <paramref name="lastDecided"/> and gets back the votes it had persisted. Messages in flight are lost.
    /// </summary>
    public void Restart(int i, long lastDecided = 0)
    {
        var options = new ConsensusOptions { MaxBatch = 64, RetransmitTicks = 5, RequestTimeoutTicks = _requestTimeoutTicks, RequestWindow = _requestWindow };
        Cores[i] = new ReplicaCore(i, View, Chain, Keys[i], options, r => r.Verify(Chain), lastDecided);
        Cores[i].RestoreVotes(Persisted[i]);
        Drain(i);
    }

    /// <summary>Replica <paramref name="i"/>'s driver executed <paramref name="instance"/>: <paramref name="view"/> is in force after it.</summary>
    public void Resume(int i, long instance, View view, Ed25519KeyPair? key)
    {
        Cores[i].ResumeAfter(instance, view, key);
        Drain(i);
        Run();
    }

    /// <summary>Gives replica <paramref name="i"/> an input of its driver's own (not a message) and delivers what follows.</summary>
    public void Do(int i, Action<ReplicaCore> input)
    {
        input(Cores[i]);
        Drain(i);
        Run();
    }

    /// <summary>Drops every message in flight.</summary>
    public void Lose() => _inFlight.Clear();

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in Keys)
        {
            key.Dispose();
        }
    }

    private void Drain(int i)
    {
        Ready ready = Cores[i].TakeReady();
        Persisted[i].AddRange(ready.Persist);
        Decisions[i].AddRange(ready.Decisions);
        Events[i].AddRange(ready.Events);
        foreach (OutboundMessage outbound in ready.Messages)
        {
            Sent.Add((i, outbound.To, outbound.Message));
            for (int j = 0; j < Cores.Length; j++)
            {
                if (j != i && (outbound.To is null || outbound.To == j) && Filter(i, j, outbound.Message) &&
                    Rewrite(i, j, outbound.Message) is { } message)
                {
                    _inFlight.Enqueue((i, j, message));
                }
            }
        }
    }
}
