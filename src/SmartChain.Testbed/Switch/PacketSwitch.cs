using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SmartChain.Testbed.Switch;

/// <summary>
/// The testbed's bridge, run as <c>smartchain netns switch --dir FOLDER</c> inside the bridge namespace: a user-space
/// Ethernet switch over the veth ends there. A frame from host A to host B crosses A's link and then B's link; each
/// crossing adds a quarter of that link's RTT plus jitter and may drop, duplicate or hurry (reorder) the frame, as
/// <c>tc netem</c> would on each veth (this kernel has no netem). Frames between cut hosts are dropped silently, as a
/// real partition does. Hosts have fixed Ethernet addresses, so no learning is needed; broadcasts (ARP) are flooded.
/// On SIGHUP it re-reads the state file (new shape, new hosts) and reports the applied generation in
/// <see cref="NetworkShape.AppliedFileName"/>.
/// </summary>
public sealed class PacketSwitch : IDisposable
{
    private const int FrameBuffer = 65536 + 256;
    private readonly string _folder;
    private readonly TextWriter _log;
    private readonly DelayLine _delay = new();
    private readonly Dictionary<string, PacketSocket> _sockets = [];
    private readonly List<Thread> _readers = [];
    private readonly SemaphoreSlim _reload = new(0);
    private volatile SwitchTable _table = new([], new Dictionary<ulong, SwitchPort>(), [], 0);
    private volatile bool _stopping;
    private long _forwarded;
    private long _dropped;

    private PacketSwitch(string folder, TextWriter log)
    {
        _folder = folder;
        _log = log;
    }

    /// <summary>Runs the bridge for the testbed in <paramref name="folder"/> until SIGTERM/SIGINT or cancellation.</summary>
    public static async Task<int> RunAsync(string folder, TextWriter log, CancellationToken cancellationToken)
    {
        using var bridge = new PacketSwitch(Path.GetFullPath(folder), log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            bridge._reload.Release();
        });
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        bridge.Apply();
        try
        {
            while (true)
            {
                await bridge._reload.WaitAsync(TimeSpan.FromSeconds(10), stop.Token);
                try
                {
                    bridge.Apply();
                }
                catch (Exception e) when (e is TestbedException or IOException or System.Text.Json.JsonException)
                {
                    // A state file that cannot be read (or a port that cannot open) leaves the current shape in force:
                    // the bridge keeps forwarding, and the caller's wait for the new generation times out with this log.
                    log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} shape not applied: {e.Message}");
                    log.Flush();
                }
            }
        }
        catch (OperationCanceledException)
        {
            log.WriteLine($"bridge stopping: {bridge._forwarded} frames forwarded, {bridge._dropped} dropped, {bridge._delay.Sent} sent late, {bridge._delay.Refused} refused");
            return 0;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping = true;
        foreach (Thread reader in _readers)
        {
            reader.Join();
        }

        _delay.Dispose();
        foreach (PacketSocket socket in _sockets.Values)
        {
            socket.Dispose();
        }

        _reload.Dispose();
    }

    private void Apply()
    {
        TestbedState state = TestbedState.Load(_folder);
        if (state.Shape.Generation == _table.Generation)
        {
            return; // the periodic wake-up: nothing changed
        }

        var ports = new List<SwitchPort>();
        var byMac = new Dictionary<ulong, SwitchPort>();
        foreach (TestbedHost host in state.Hosts)
        {
            if (!_sockets.TryGetValue(host.Name, out PacketSocket? socket))
            {
                socket = new PacketSocket(host.Name);
                _sockets[host.Name] = socket;
            }

            var port = new SwitchPort(ports.Count, host.Name, socket, state.Shape.Links.GetValueOrDefault(host.Name) ?? LinkProfile.Lan);
            ports.Add(port);
            byMac[MacNumber(host.Mac)] = port;
        }

        var cuts = new HashSet<(int, int)>();
        foreach (string cut in state.Shape.Cuts)
        {
            string[] pair = cut.Split('|');
            if (pair.Length == 2 && ports.FirstOrDefault(p => p.Host == pair[0]) is { } a && ports.FirstOrDefault(p => p.Host == pair[1]) is { } b)
            {
                cuts.Add(a.Index < b.Index ? (a.Index, b.Index) : (b.Index, a.Index));
            }
        }

        _table = new SwitchTable(ports, byMac, cuts, state.Shape.Generation);
        while (_readers.Count < ports.Count)
        {
            string host = ports[_readers.Count].Host;
            long seed = state.Shape.Seed * 1_000_003 + _readers.Count;
            var thread = new Thread(() => Read(host, seed)) { IsBackground = true, Name = $"bridge port {host}" };
            _readers.Add(thread);
            thread.Start();
        }

        AtomicFile.Write(Path.Combine(_folder, NetworkShape.AppliedFileName), state.Shape.Generation.ToString(CultureInfo.InvariantCulture));
        _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} applied shape {state.Shape.Generation}: " +
                       string.Join(", ", ports.Select(p => $"{p.Host}={p.Profile.Name}")) + (cuts.Count > 0 ? $"; cut {string.Join(' ', state.Shape.Cuts)}" : ""));
        _log.Flush();
    }

    private void Read(string host, long seed)
    {
        var random = new Random((int)(seed ^ (seed >> 32)));
        byte[] buffer = new byte[FrameBuffer];
        PacketSocket socket = _sockets[host];
        while (!_stopping)
        {
            int length;
            try
            {
                length = socket.Receive(buffer);
            }
            catch (TestbedException e)
            {
                _log.WriteLine($"port {host}: {e.Message}");
                Thread.Sleep(100); // a failing socket must not spin; the error is logged once per attempt
                continue;
            }

            if (length <= PacketSocket.VnetHeaderBytes + 14)
            {
                continue;
            }

            SwitchTable table = _table;
            SwitchPort? from = FindPort(table, host);
            if (from is null)
            {
                continue;
            }

            ReadOnlySpan<byte> frame = buffer.AsSpan(0, length);
            ulong destination = MacNumber(frame.Slice(PacketSocket.VnetHeaderBytes, 6));
            if ((frame[PacketSocket.VnetHeaderBytes] & 1) != 0)
            {
                foreach (SwitchPort to in table.Ports)
                {
                    if (to.Index != from.Index)
                    {
                        Deliver(table, from, to, frame, random);
                    }
                }
            }
            else if (table.PortOf(destination) is { } to && to.Index != from.Index)
            {
                Deliver(table, from, to, frame, random);
            }
        }
    }

    private void Deliver(SwitchTable table, SwitchPort from, SwitchPort to, ReadOnlySpan<byte> frame, Random random)
    {
        if (table.IsCut(from.Index, to.Index) || Happens(random, from.Profile.LossPercent, to.Profile.LossPercent))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        int copies = Happens(random, from.Profile.DuplicatePercent, to.Profile.DuplicatePercent) ? 2 : 1;
        for (int c = 0; c < copies; c++)
        {
            double ms = Happens(random, from.Profile.ReorderPercent, to.Profile.ReorderPercent) ? 0 : Crossing(from.Profile, random) + Crossing(to.Profile, random);
            Interlocked.Increment(ref _forwarded);
            if (ms <= 0)
            {
                to.Socket.Send(frame);
            }
            else
            {
                _delay.Enqueue(to.Socket, frame, Stopwatch.GetTimestamp() + (long)(ms * Stopwatch.Frequency / 1000.0));
            }
        }
    }

    private static double Crossing(LinkProfile profile, Random random) =>
        Math.Max(0, profile.OneWayMs + (profile.JitterMs == 0 ? 0 : ((random.NextDouble() * 2) - 1) * profile.JitterMs));

    private static bool Happens(Random random, double percentA, double percentB) =>
        (percentA > 0 || percentB > 0) && random.NextDouble() * 100 < 100 - ((100 - percentA) * (100 - percentB) / 100);

    private static SwitchPort? FindPort(SwitchTable table, string host)
    {
        foreach (SwitchPort port in table.Ports)
        {
            if (port.Host == host)
            {
                return port;
            }
        }

        return null;
    }

    private static ulong MacNumber(string mac) =>
        MacNumber(Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal)));

    private static ulong MacNumber(ReadOnlySpan<byte> mac)
    {
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        mac[..6].CopyTo(wide[2..]);
        return BinaryPrimitives.ReadUInt64BigEndian(wide);
    }
}
