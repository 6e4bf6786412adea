using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.IO;
using SmartChain.Core.Genesis;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Testnet;

/// <summary>Starts and stops the replicas of a local testnet as background processes (Linux).</summary>
internal static class TestnetProcesses
{
    public const string PidFileName = "node.pid";
    public const string LogFileName = "node.log";

    /// <summary>The replica homes of a testnet folder, in id order.</summary>
    public static IReadOnlyList<string> Homes(string dir)
    {
        if (!File.Exists(Path.Combine(dir, TestnetInitializer.GenesisFileName)))
        {
            throw new CliException($"{dir} is not a testnet folder (no genesis.json); create one with 'smartchain testnet init --dir {dir}'");
        }

        return [.. Directory.GetDirectories(dir, "node*")
            .Where(h => File.Exists(Path.Combine(h, Core.Configuration.NodeConfig.FileName)))
            .OrderBy(h => int.Parse(Path.GetFileName(h)[4..], CultureInfo.InvariantCulture))];
    }

    /// <summary>The pid written in the home's pid file, whether or not that process still runs.</summary>
    public static int? PidIn(string home)
    {
        string file = Path.Combine(home, PidFileName);
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null; // removed while we read it: the replica just stopped
        }
    }

    /// <summary>
    /// The pid of the replica running in <paramref name="home"/>, or null. The pid file alone is not trusted: after a
    /// crash its pid may belong to another process by now, which must never be signalled. So the pid counts only while
    /// the home's lock is held and that process is a <c>node run</c> of this very home.
    /// </summary>
    public static int? RunningPid(string home) =>
        PidIn(home) is int pid && IsAlive(pid) && DirectoryLock.IsHeld(home) && RunsHome(pid, home) ? pid : null;

    /// <summary>True if process <paramref name="pid"/> runs <c>node run --home</c> with <paramref name="home"/> (/proc/PID/cmdline).</summary>
    public static bool RunsHome(int pid, string home)
    {
        try
        {
            string[] args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            string cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget ?? "/";
            string wanted = Path.TrimEndingDirectorySeparator(Path.GetFullPath(home));
            for (int i = 0; i + 1 < args.Length; i++)
            {
                if (args[i] == "--home" && Path.TrimEndingDirectorySeparator(Path.GetFullPath(args[i + 1], cwd)) == wanted)
                {
                    return Array.IndexOf(args, "run") is int run && run >= 0 && run < i;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or not ours to inspect
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// Starts every replica of the testnet in <paramref name="folder"/> (refusing if one is running) with
    /// <paramref name="nodeArgs"/> added to <c>node run</c>, and waits until all are connected.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StartAllAsync(string folder, TextWriter output, TimeSpan timeout, IReadOnlyList<string>? nodeArgs = null,
        int? only = null, Func<string, IReadOnlyList<string>>? homeArgs = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        IReadOnlyList<string> all = Homes(folder);
        IReadOnlyList<string> homes = Select(folder, all, only);
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(folder, TestnetInitializer.GenesisFileName));
        foreach (string home in homes)
        {
            if (RunningPid(home) is int pid)
            {
                throw new CliException($"the replica in {home} is already running (pid {pid}); stop it with 'smartchain testnet stop --dir {folder}'");
            }
        }

        var launched = new Dictionary<string, int>();
        foreach (string home in homes)
        {
            launched[home] = Launch(home, [.. nodeArgs ?? [], .. homeArgs?.Invoke(home) ?? []], environment);
            output.WriteLine($"started {Path.GetFileName(home)} (log: {Path.Combine(home, LogFileName)})");
        }

        await WaitUntilConnectedAsync(genesis, launched, output, timeout, TestnetMembership.Peers(folder));
        return homes;
    }

    private static IReadOnlyList<string> Select(string folder, IReadOnlyList<string> homes, int? only)
    {
        if (only is not int id)
        {
            return homes;
        }

        string wanted = Path.Combine(folder, TestnetInitializer.NodeFolder(id));
        return homes.Contains(wanted) ? [wanted] : throw new CliException($"{folder} has no replica {id} (no {TestnetInitializer.NodeFolder(id)}/node.json)");
    }

    /// <summary>Stops every running replica of the testnet in <paramref name="folder"/>; returns how many were running.</summary>
    public static async Task<int> StopAllAsync(string folder, TextWriter output, int? only = null)
    {
        // Every replica is sent SIGTERM first and then all are awaited together: each takes a second or two to stop, and
        // one after another that was most of a test's teardown (about 8 s for four replicas on 2 cores).
        IReadOnlyList<string> homes = Select(folder, Homes(folder), only);
        var stopping = new List<(string Home, int Pid, Task<bool> Clean)>();
        foreach (string home in homes)
        {
            if (RunningPid(home) is int pid)
            {
                stopping.Add((home, pid, StopAsync(pid, TimeSpan.FromSeconds(15))));
            }
            else if (PidIn(home) is int stale && IsAlive(stale))
            {
                output.WriteLine($"{Path.GetFileName(home)}: pid {stale} in {PidFileName} is not this replica (it no longer runs); not signalled");
            }
        }

        foreach ((string home, int pid, Task<bool> clean) in stopping)
        {
            output.WriteLine($"stopped {Path.GetFileName(home)} (pid {pid}{(await clean ? "" : ", killed after 15 s")})");
        }

        foreach (string home in homes)
        {
            if (!DirectoryLock.IsHeld(home))
            {
                File.Delete(Path.Combine(home, PidFileName)); // stale: no replica holds the home
            }
        }

        return stopping.Count;
    }

    /// <summary>
    /// Launches <c>smartchain node run --home HOME</c> detached (own session), logging to HOME/node.log; returns its pid
    /// (<c>setsid</c> is exec'd by a process that leads no group, so it runs the replica in place). <paramref name="environment"/>
    /// is added to this process's environment, which the replica inherits.
    /// </summary>
    public static int Launch(string home, IReadOnlyList<string> nodeArgs, IReadOnlyDictionary<string, string>? environment = null)
    {
        string self = Environment.ProcessPath ?? throw new CliException("cannot tell which executable to start");
        List<string> command = [self];
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Not Assembly.Location: it is empty in a single-file binary (there ProcessPath is the binary itself).
            command.Add(Path.Combine(AppContext.BaseDirectory, Assembly.GetEntryAssembly()!.GetName().Name + ".dll"));
        }

        command.AddRange(["node", "run", "--home", home]);
        command.AddRange(nodeArgs);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$@\" >>\"$SMARTCHAIN_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        foreach (string part in command)
        {
            start.ArgumentList.Add(part);
        }

        start.Environment["SMARTCHAIN_LOG"] = Path.Combine(home, LogFileName);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new CliException($"could not start a replica in {home}");
        return process.Id;
    }

    /// <summary>
    /// Waits until every member of the current view (learnt from <paramref name="peers"/>, client endpoints) answers and is
    /// connected to all its peers; fails with the log tail of a launched replica (home → pid) whose process ended.
    /// </summary>
    public static async Task WaitUntilConnectedAsync(GenesisDocument genesis, IReadOnlyDictionary<string, int> launched, TextWriter output, TimeSpan timeout,
        IReadOnlyList<string>? peers = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using Ed25519KeyPair probe = Ed25519KeyPair.Generate();
        string last = "no replica answered yet";
        while (!deadline.IsCancellationRequested)
        {
            foreach ((string home, int pid) in launched)
            {
                if (!IsAlive(pid))
                {
                    throw new CliException($"the replica in {home} exited: {Tail(home)}");
                }
            }

            try
            {
                await using ChainClient client = await ChainClient.ConnectAsync(genesis, probe,
                    new ClientOptions { ConnectTimeout = TimeSpan.FromSeconds(2), Peers = peers ?? [] }, deadline.Token);
                IReadOnlyDictionary<int, QueryResultMessage> answers =
                    await client.QueryEachAsync(CoinQuery.CoinsOf(probe.PublicKey), TimeSpan.FromSeconds(2), deadline.Token);
                Core.Views.View view = client.View;
                int n = view.N;
                if (answers.Count == n && answers.Values.All(a => a.ConnectedPeers >= n - 1 && a.ViewId == view.Id))
                {
                    output.WriteLine($"all {n} replicas are up and connected to each other (view {view.Id})");
                    return;
                }

                last = string.Join(", ", view.Members.Select(m =>
                    answers.TryGetValue(m.Id, out QueryResultMessage? a) ? $"replica {m.Id}: {a.ConnectedPeers}/{n - 1} peers" : $"replica {m.Id}: no answer"));
            }
            catch (Exception e) when (e is ChainClientException or OperationCanceledException)
            {
                last = e.Message;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        throw new CliException($"the replicas did not connect within {timeout.TotalSeconds:0} s ({last}); see node*/{LogFileName}");
    }

    /// <summary>Sends SIGTERM, waits up to <paramref name="grace"/>, then SIGKILL.</summary>
    public static async Task<bool> StopAsync(int pid, TimeSpan grace)
    {
        Signal("TERM", pid);
        var watch = Stopwatch.StartNew();
        while (IsAlive(pid) && watch.Elapsed < grace)
        {
            await Task.Delay(100);
        }

        if (!IsAlive(pid))
        {
            return true;
        }

        Signal("KILL", pid);
        return false;
    }

    private static void Signal(string signal, int pid)
    {
        using Process? kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    private static string Tail(string home)
    {
        string[] lines = File.ReadAllLines(Path.Combine(home, LogFileName));
        return string.Join(" | ", lines.TakeLast(3));
    }
}
