using System.Globalization;
using System.Text.Json;
using SmartChain.Cli.Netns;
using SmartChain.Cli.Testnet;
using SmartChain.Core;
using SmartChain.Core.Configuration;
using SmartChain.Nemesis.Faults;
using SmartChain.Testbed;

namespace SmartChain.Cli.Nemesis;

/// <summary>
/// The nemesis proper: a seeded schedule of faults on a namespace testnet. Each round runs every rotating fault class
/// once in a seeded order, one fault at a time (so at most one replica is crashed, paused or cut off alone), each held
/// for a seeded time and followed by a seeded quiet gap; in the first round one replica leaves the network while another
/// suffers a delay spike. Every start and end goes into the timeline; <see cref="HealAllAsync"/> ends everything.
/// </summary>
internal sealed class FaultScheduler(NamespaceTestbed bed, FaultTimeline timeline, Func<double> nowMs, int seed, LinkProfile profile, string statusFile,
    TextWriter log)
{
    // Not readonly: SplitMix64 is a mutable struct, and a readonly field would draw every number from a fresh copy (the
    // first schedule drew the same victim and hold every time).
    private SplitMix64 _random = new((ulong)seed * 0x9E3779B97F4A7C15UL);
    private readonly SortedSet<int> _members = [.. bed.Replicas.Select(h => h.ReplicaId!.Value)];
    private int _nextId;

    /// <summary>Fault classes that ran (started and ended) at least once.</summary>
    public HashSet<string> Ran { get; } = [];

    /// <summary>Runs rounds of faults until <paramref name="untilMs"/> (ms since the start) leaves no room for another.</summary>
    public async Task RunAsync(double untilMs, CancellationToken cancellationToken)
    {
        bool leaveDone = false;
        while (true)
        {
            string[] order = [.. FaultKind.Rotating];
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = (int)_random.NextBelow((ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }

            foreach (string kind in order)
            {
                TimeSpan hold = TimeSpan.FromSeconds(8 + _random.NextBelow(11));
                TimeSpan gap = TimeSpan.FromSeconds(8 + _random.NextBelow(5));
                if (nowMs() + (hold + gap).TotalMilliseconds > untilMs)
                {
                    return;
                }

                bool withLeave = kind == FaultKind.Delay && !leaveDone && _members.Count > Limits.MinViewMembers;
                await RunFaultAsync(kind, hold, withLeave, cancellationToken);
                leaveDone |= withLeave;
                await Task.Delay(gap, cancellationToken);
            }
        }
    }

    /// <summary>Heals every cut, restores every link's profile, resumes and restarts every member, and records the heal.</summary>
    public async Task HealAllAsync(CancellationToken cancellationToken)
    {
        bed.Heal();
        bed.SetReplicaProfiles(profile);
        foreach (int id in _members)
        {
            bed.SignalReplica(id, TestbedSignals.Continue);
            if (bed.ReplicaPid(id) is null)
            {
                bed.RestartReplica(id);
            }
        }

        timeline.Add(new FaultEvent(nowMs(), FaultEvent.Heal, "heal", $"every fault healed; members {string.Join(",", _members)} running"));
        log.WriteLine($"[{Seconds()}] healed");
        await Task.CompletedTask;
    }

    private async Task RunFaultAsync(string kind, TimeSpan hold, bool withLeave, CancellationToken cancellationToken)
    {
        int id = ++_nextId;
        int[] members = [.. _members];
        int victim = members[(int)_random.NextBelow((ulong)members.Length)];
        string description;
        Func<Task> heal;
        switch (kind)
        {
            case FaultKind.PartitionLeader:
                victim = Leader() ?? victim;
                bed.Partition([[victim], members.Where(m => m != victim)]);
                description = $"the leader, replica {victim}, cut off from the other replicas";
                heal = () => { bed.Heal(); return Task.CompletedTask; };
                break;
            case FaultKind.PartitionMinority:
                int[] shuffled = Shuffled(members);
                int[] minority = shuffled[..((members.Length - 1) / 2)];
                bed.Partition([minority, shuffled[minority.Length..]]);
                description = $"minority {{{string.Join(",", minority.Order())}}} cut off from majority {{{string.Join(",", shuffled[minority.Length..].Order())}}}";
                heal = () => { bed.Heal(); return Task.CompletedTask; };
                break;
            case FaultKind.PartitionBridge:
                int[] others = [.. Shuffled(members).Where(m => m != victim)];
                int[] left = others[..(others.Length / 2)];
                int[] right = others[(others.Length / 2)..];
                bed.Partition([[.. left, victim], [.. right, victim]]);
                description = $"bridge: {{{string.Join(",", left.Order())}}} and {{{string.Join(",", right.Order())}}} see each other only through replica {victim}";
                heal = () => { bed.Heal(); return Task.CompletedTask; };
                break;
            case FaultKind.Kill:
                await KillAsync(victim);
                description = $"kill -9 replica {victim}, restarted after {hold.TotalSeconds:0} s";
                heal = () => { bed.RestartReplica(victim); return Task.CompletedTask; };
                break;
            case FaultKind.Pause:
                bed.SignalReplica(victim, TestbedSignals.Stop);
                description = $"SIGSTOP replica {victim}, SIGCONT after {hold.TotalSeconds:0} s";
                heal = () => { bed.SignalReplica(victim, TestbedSignals.Continue); return Task.CompletedTask; };
                break;
            case FaultKind.Loss:
                foreach (int m in members)
                {
                    bed.SetProfile(TestbedHost.ReplicaName(m), profile with { Name = "loss", LossPercent = 5 });
                }

                description = "5% packet loss on every replica link (each direction)";
                heal = () => { bed.SetReplicaProfiles(profile); return Task.CompletedTask; };
                break;
            case FaultKind.Delay:
                bed.SetProfile(TestbedHost.ReplicaName(victim), profile with { Name = "delay", RttMs = profile.RttMs + 400, JitterMs = 40 });
                description = $"delay spike: replica {victim}'s link +400 ms RTT ±40 ms";
                heal = () => { bed.SetProfile(TestbedHost.ReplicaName(victim), profile); return Task.CompletedTask; };
                break;
            case FaultKind.Wipe:
                await KillAsync(victim);
                string dataDir = NodeConfig.Load(Path.Combine(Home(victim), NodeConfig.FileName)).DataDir;
                Directory.Delete(dataDir, recursive: true);
                Directory.CreateDirectory(dataDir);
                description = $"replica {victim} killed, its data folder wiped, restarted empty after {hold.TotalSeconds:0} s (state transfer)";
                heal = () => { bed.RestartReplica(victim); return Task.CompletedTask; };
                break;
            default:
                throw new InvalidOperationException($"unknown fault class {kind}");
        }

        timeline.Add(new FaultEvent(nowMs(), FaultEvent.Start, kind, description) { Id = id });
        log.WriteLine($"[{Seconds()}] start {kind}: {description}");
        Task leave = withLeave ? LeaveAsync(members.Where(m => m != victim && m != Leader()).Last(), cancellationToken) : Task.CompletedTask;
        await Task.Delay(hold, cancellationToken);
        await leave;
        await heal();
        timeline.Add(new FaultEvent(nowMs(), FaultEvent.End, kind, $"end of: {description}") { Id = id });
        log.WriteLine($"[{Seconds()}] end {kind}");
        Ran.Add(kind);
    }

    // A member leaves while another fault runs: its LEAVE goes through the client namespace like any client's request;
    // once the new view is in force the replica is stopped.
    private async Task LeaveAsync(int replica, CancellationToken cancellationToken)
    {
        int id = ++_nextId;
        string description = $"replica {replica} leaves the network (node leave), then stops";
        timeline.Add(new FaultEvent(nowMs(), FaultEvent.Start, FaultKind.Leave, description) { Id = id });
        log.WriteLine($"[{Seconds()}] start leave: {description}");
        (int code, string output, string error) = await NetnsTestnet.RunInAsync(bed.Clients,
            [.. bed.SmartChainCommand, "node", "leave", "--home", Home(replica)], TimeSpan.FromSeconds(90), cancellationToken);
        if (code != 0)
        {
            timeline.Add(new FaultEvent(nowMs(), FaultEvent.End, FaultKind.Leave, $"leave of replica {replica} failed: {error.Trim()} {output.Trim()}") { Id = id });
            log.WriteLine($"[{Seconds()}] leave failed: {error.Trim()} {output.Trim()}");
            return;
        }

        _members.Remove(replica);
        bed.SignalReplica(replica, TestbedSignals.Terminate);
        timeline.Add(new FaultEvent(nowMs(), FaultEvent.End, FaultKind.Leave, $"replica {replica} left: {output.Trim()}") { Id = id });
        log.WriteLine($"[{Seconds()}] end leave: {output.Trim()}");
        Ran.Add(FaultKind.Leave);
    }

    private async Task KillAsync(int replica)
    {
        bed.SignalReplica(replica, TestbedSignals.Kill);
        for (int i = 0; i < 100 && bed.ReplicaPid(replica) is not null; i++)
        {
            await Task.Delay(50);
        }
    }

    private string Home(int replica) => Path.Combine(bed.Folder, TestnetInitializer.NodeFolder(replica));

    // The leader most replicas name in the clients' last status reading (the scheduler cannot reach the replicas itself).
    private int? Leader()
    {
        try
        {
            using JsonDocument status = JsonDocument.Parse(File.ReadAllText(statusFile));
            return status.RootElement.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("leader").GetInt32())
                .Where(_members.Contains).GroupBy(l => l).OrderByDescending(g => g.Count()).Select(g => (int?)g.Key).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private int[] Shuffled(int[] items)
    {
        int[] copy = [.. items];
        for (int i = copy.Length - 1; i > 0; i--)
        {
            int j = (int)_random.NextBelow((ulong)(i + 1));
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }

    private string Seconds() => (nowMs() / 1000).ToString("0.0", CultureInfo.InvariantCulture);
}
