using System.Diagnostics;

namespace SmartChain.Testbed;

/// <summary>
/// A network of hosts on this machine: one Linux network namespace per replica and one for clients, each joined by a
/// veth pair to a bridge in a namespace of its own, with addresses from one private /24 that exist only inside those
/// namespaces. Nothing is attached to the machine's own namespace and nothing is routed out; <see cref="Up"/> checks that
/// before it returns and refuses otherwise. The bridge is a user-space switch (<see cref="Switch.PacketSwitch"/>) that
/// applies each link's <see cref="LinkProfile"/> (delay, jitter, loss, duplication, reordering) and the cuts of a
/// partition, because this machine's kernel has no netem qdisc. Everything created is recorded in the folder's state
/// file first, so <see cref="Down(string, TextWriter?)"/> removes it from any process, also after a failed run.
/// Thread-safe: a nemesis may change shapes and signal replicas from several tasks.
/// </summary>
public sealed class NamespaceTestbed : IDisposable
{
    private const string BridgeHostName = "bridge";
    private const string BridgeLog = "bridge.log";
    private readonly Lock _gate = new();
    private readonly TestbedState _state;

    private NamespaceTestbed(string folder, TestbedState state)
    {
        Folder = folder;
        _state = state;
    }

    /// <summary>The testbed folder (holds netns.json).</summary>
    public string Folder { get; }

    /// <summary>The run's unique prefix: every namespace of this testbed is named PREFIX-….</summary>
    public string Prefix => _state.Prefix;

    /// <summary>The private /24 the hosts' addresses come from.</summary>
    public string Subnet => _state.Subnet;

    /// <summary>The namespace of the bridge.</summary>
    public string BridgeNamespace => _state.BridgeNamespace;

    /// <summary>Replica hosts, by replica id.</summary>
    public IReadOnlyList<TestbedHost> Replicas
    {
        get
        {
            lock (_gate)
            {
                return [.. _state.Hosts.Where(h => h.ReplicaId is not null).OrderBy(h => h.ReplicaId)];
            }
        }
    }

    /// <summary>The client host (load generators, wallets).</summary>
    public TestbedHost Clients
    {
        get
        {
            lock (_gate)
            {
                return _state.Hosts.Single(h => h.Name == TestbedHost.ClientName);
            }
        }
    }

    /// <summary>The shape the bridge applies now.</summary>
    public NetworkShape Shape
    {
        get
        {
            lock (_gate)
            {
                return _state.Shape;
            }
        }
    }

    /// <summary>Every process started in the testbed, in order (restarted replicas appear again).</summary>
    public IReadOnlyList<TestbedProcess> Processes
    {
        get
        {
            lock (_gate)
            {
                return [.. _state.Processes];
            }
        }
    }

    /// <summary>
    /// Creates the namespaces, links and addresses, checks isolation (refusing, after removing everything, if it does
    /// not hold), starts the bridge and waits until it applies the initial shape.
    /// </summary>
    /// <exception cref="TestbedException">Not root, no iproute2, the subnet conflicts with the machine's, isolation failed, or a step failed.</exception>
    public static NamespaceTestbed Up(TestbedOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        log ??= TextWriter.Null;
        if (!ProcFs.IsRoot)
        {
            throw new TestbedException("the namespace testbed needs root (it creates network namespaces); run as root, e.g. with sudo");
        }

        string folder = Path.GetFullPath(options.Folder);
        Directory.CreateDirectory(folder);
        if (File.Exists(TestbedState.PathIn(folder)) && !TestbedState.Load(folder).Down)
        {
            throw new TestbedException($"{folder} already holds a testbed that is up; run 'smartchain netns down --dir {folder}' first");
        }

        TestbedState state = TestbedNetwork.Plan(options);
        var subnet = Ipv4Subnet.Parse(state.Subnet);
        string prefix = state.Prefix;
        state.Save(folder);
        var testbed = new NamespaceTestbed(folder, state);
        try
        {
            Shell.Run("ip", "netns", "add", state.BridgeNamespace);
            TestbedNetwork.DisableIpv6AndForwarding(state.BridgeNamespace);
            Shell.Run("ip", "-n", state.BridgeNamespace, "link", "set", "lo", "up");
            foreach (TestbedHost host in state.Hosts)
            {
                TestbedNetwork.CreateHost(state, host, subnet);
            }

            log.WriteLine($"created {state.Namespaces.Count} namespaces {prefix}-… on {subnet}");
            testbed.RefuseUnlessIsolated();
            testbed.StartSwitch();
            log.WriteLine($"bridge running in {state.BridgeNamespace}; profile {options.Profile.Name}" +
                          (options.Far.Count > 0 ? $", replicas {string.Join(',', options.Far)} at {options.FarProfile.Name}" : ""));
            return testbed;
        }
        catch
        {
            Teardown.Down(folder, log);
            throw;
        }
    }

    /// <summary>Opens the testbed that is up in <paramref name="folder"/> (from its state file).</summary>
    public static NamespaceTestbed Open(string folder)
    {
        string full = Path.GetFullPath(folder);
        TestbedState state = TestbedState.Load(full);
        return state.Down ? throw new TestbedException($"the testbed in {full} is down") : new NamespaceTestbed(full, state);
    }

    /// <summary>
    /// Removes everything the testbed in <paramref name="folder"/> created: its processes (by recorded pid, only while
    /// the pid still names the process it started; then anything left inside its namespaces), its namespaces and with them
    /// every veth link. Safe to run twice and after a failed <c>up</c>. Returns what is still left (empty when clean).
    /// </summary>
    public static IReadOnlyList<string> Down(string folder, TextWriter? log = null) => Teardown.Down(Path.GetFullPath(folder), log ?? TextWriter.Null);

    /// <summary>What of the testbed in <paramref name="folder"/> still exists: namespaces, links in the machine's namespace, processes.</summary>
    public static IReadOnlyList<string> Leftovers(string folder) => Teardown.Leftovers(TestbedState.Load(Path.GetFullPath(folder)));

    /// <summary>Removes this testbed (see <see cref="Down(string, TextWriter?)"/>).</summary>
    public IReadOnlyList<string> Down(TextWriter? log = null) => Down(Folder, log);

    /// <summary>Checks isolation now; returns every problem found (empty: isolated).</summary>
    public IReadOnlyList<string> CheckIsolation()
    {
        lock (_gate)
        {
            return IsolationCheck.Gather(_state);
        }
    }

    /// <summary>Adds a replica host (for a replica that joins), linked to the bridge with <paramref name="profile"/>.</summary>
    public TestbedHost AddReplicaHost(int replicaId, LinkProfile profile)
    {
        lock (_gate)
        {
            if (_state.Hosts.Any(h => h.ReplicaId == replicaId) || replicaId is < 0 or >= TestbedOptions.MaxReplicas)
            {
                throw new TestbedException($"replica {replicaId} has a host already, or is out of 0..{TestbedOptions.MaxReplicas - 1}");
            }

            var subnet = Ipv4Subnet.Parse(_state.Subnet);
            TestbedHost host = TestbedNetwork.ReplicaHost(_state.Prefix, _state.MacPrefix, subnet, replicaId);
            _state.Hosts.Add(host);
            _state.Namespaces.Add(host.Namespace);
            _state.Save(Folder);
            TestbedNetwork.CreateHost(_state, host, subnet);
            RefuseUnlessIsolated();
            Reshape(shape => shape with { Links = new Dictionary<string, LinkProfile>(shape.Links) { [host.Name] = profile.Validated() } });
            return host;
        }
    }

    /// <summary>The host of replica <paramref name="replicaId"/>.</summary>
    public TestbedHost Replica(int replicaId) =>
        Replicas.FirstOrDefault(h => h.ReplicaId == replicaId) ?? throw new TestbedException($"the testbed has no host for replica {replicaId}");

    /// <summary>Sets the profile of one host's link (a replica's, or the client host's with <see cref="TestbedHost.ClientName"/>).</summary>
    public void SetProfile(string hostName, LinkProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validated();
        lock (_gate)
        {
            RequireHost(hostName);
            Reshape(shape => shape with { Links = new Dictionary<string, LinkProfile>(shape.Links) { [hostName] = profile } });
        }
    }

    /// <summary>Sets the profile of every replica link (the client link keeps its own).</summary>
    public void SetReplicaProfiles(LinkProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validated();
        lock (_gate)
        {
            Reshape(shape =>
            {
                var links = new Dictionary<string, LinkProfile>(shape.Links);
                foreach (TestbedHost host in _state.Hosts.Where(h => h.ReplicaId is not null))
                {
                    links[host.Name] = profile;
                }

                return shape with { Links = links };
            });
        }
    }

    /// <summary>
    /// Partitions the replicas: two replicas reach each other only if some group holds both, so overlapping groups make
    /// a bridge ({0,1,2} and {2,3}: replica 2 sees both sides). A replica in no group is cut off from every replica.
    /// Clients keep reaching every replica (cut them with <see cref="Cut"/>). Replaces earlier cuts.
    /// </summary>
    public void Partition(IEnumerable<IEnumerable<int>> groups)
    {
        List<HashSet<int>> sets = [.. groups.Select(g => g.ToHashSet())];
        lock (_gate)
        {
            List<string> cuts = NetworkShape.PartitionCuts(_state.Hosts, sets);
            Reshape(shape => shape with { Cuts = cuts });
        }
    }

    /// <summary>Cuts the link between two hosts (by name: r0, r1, …, c), both ways, keeping other cuts.</summary>
    public void Cut(string hostA, string hostB)
    {
        lock (_gate)
        {
            RequireHost(hostA);
            RequireHost(hostB);
            string key = NetworkShape.CutKey(hostA, hostB);
            Reshape(shape => shape.Cuts.Contains(key) ? shape : shape with { Cuts = [.. shape.Cuts, key] });
        }
    }

    /// <summary>Removes every cut (profiles stay).</summary>
    public void Heal()
    {
        lock (_gate)
        {
            Reshape(shape => shape with { Cuts = [] });
        }
    }

    /// <summary>
    /// Starts <paramref name="command"/> detached inside <paramref name="host"/>'s namespace (its own session, output
    /// appended to <paramref name="logFile"/>), records it, and returns its pid.
    /// </summary>
    public int Start(TestbedHost host, IReadOnlyList<string> command, string logFile, string role = "process")
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_gate)
        {
            return StartIn(host.Name, host.Namespace, command, logFile, role).Pid;
        }
    }

    /// <summary>
    /// Starts replica <paramref name="replicaId"/>'s process in its host with <paramref name="command"/>, after checking
    /// isolation again (someone may have added a route since <see cref="Up"/>): refuses if it no longer holds.
    /// </summary>
    public int StartReplica(int replicaId, IReadOnlyList<string> command, string logFile)
    {
        TestbedHost host = Replica(replicaId);
        lock (_gate)
        {
            RefuseUnlessIsolated();
            return StartIn(host.Name, host.Namespace, command, logFile, "replica").Pid;
        }
    }

    /// <summary>Starts replica <paramref name="replicaId"/> again with the command it last ran (after a kill).</summary>
    public int RestartReplica(int replicaId)
    {
        lock (_gate)
        {
            TestbedProcess last = LastReplicaProcess(replicaId) ?? throw new TestbedException($"replica {replicaId} was never started");
            if (ProcFs.IsRunning(last))
            {
                throw new TestbedException($"replica {replicaId} still runs (pid {last.Pid})");
            }

            TestbedHost host = _state.Hosts.Single(h => h.Name == last.Host);
            return StartIn(host.Name, host.Namespace, last.Command, last.Log, "replica").Pid;
        }
    }

    /// <summary>The pid of replica <paramref name="replicaId"/>'s process while it runs, else null.</summary>
    public int? ReplicaPid(int replicaId)
    {
        lock (_gate)
        {
            return LastReplicaProcess(replicaId) is { } p && ProcFs.IsRunning(p) ? p.Pid : null;
        }
    }

    /// <summary>
    /// Sends a signal (see <see cref="TestbedSignals"/>) to replica
    /// <paramref name="replicaId"/>'s process; false if it does not run.
    /// </summary>
    public bool SignalReplica(int replicaId, int signal) => ReplicaPid(replicaId) is int pid && ProcFs.Signal(pid, signal);

    /// <summary>
    /// A start description that runs <paramref name="command"/> inside <paramref name="host"/>'s namespace, for a caller
    /// that wants its output (a load generator, a wallet command): <c>ip netns exec NS command…</c>.
    /// </summary>
    public static ProcessStartInfo ExecInfo(TestbedHost host, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (string part in (string[])["netns", "exec", host.Namespace, .. command])
        {
            start.ArgumentList.Add(part);
        }

        return start;
    }

    /// <summary>The <c>smartchain</c> command line this testbed runs (for replicas and clients in its namespaces).</summary>
    public IReadOnlyList<string> SmartChainCommand => _state.SmartChainCommand;

    /// <inheritdoc/>
    public void Dispose() => Down();

    /// <summary>A multi-line description: hosts, addresses, link profiles, cuts, processes.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return TestbedDescription.Of(_state, BridgeNamespace);
        }
    }

    private void RefuseUnlessIsolated()
    {
        IReadOnlyList<string> problems = IsolationCheck.Gather(_state);
        if (problems.Count > 0)
        {
            throw new TestbedException($"refusing to start: the testbed is not isolated: {string.Join("; ", problems)}");
        }
    }

    private void RequireHost(string name)
    {
        if (_state.Hosts.All(h => h.Name != name))
        {
            throw new TestbedException($"the testbed has no host '{name}' (hosts: {string.Join(", ", _state.Hosts.Select(h => h.Name))})");
        }
    }

    private TestbedProcess? LastReplicaProcess(int replicaId) =>
        _state.Processes.LastOrDefault(p => p.Role == "replica" && p.Host == TestbedHost.ReplicaName(replicaId));

    private TestbedProcess StartIn(string hostName, string ns, IReadOnlyList<string> command, string logFile, string role)
    {
        TestbedProcess record = ProcessLauncher.Launch(hostName, ns, command, logFile, role);
        _state.Processes.Add(record);
        _state.Save(Folder);
        return record;
    }

    private void StartSwitch()
    {
        lock (_gate)
        {
            StartIn(BridgeHostName, _state.BridgeNamespace, [.. _state.SmartChainCommand, "netns", "switch", "--dir", Folder], Path.Combine(Folder, BridgeLog), "switch");
            WaitApplied(_state.Shape.Generation);
        }
    }

    private void Reshape(Func<NetworkShape, NetworkShape> change)
    {
        NetworkShape next = change(_state.Shape) with { Generation = _state.Shape.Generation + 1 };
        _state.Shape = next;
        _state.Save(Folder);
        TestbedProcess bridge = _state.Processes.LastOrDefault(p => p.Role == "switch") ?? throw new TestbedException("the bridge was never started");
        if (!ProcFs.IsRunning(bridge) || !ProcFs.Signal(bridge.Pid, ProcFs.SigHup))
        {
            throw new TestbedException($"the bridge (pid {bridge.Pid}) no longer runs; see {bridge.Log}");
        }

        WaitApplied(next.Generation);
    }

    private void WaitApplied(long generation) =>
        BridgeControl.WaitApplied(Folder, _state.Processes.Last(p => p.Role == "switch"), generation);
}
