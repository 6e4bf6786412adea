using System.Net;
using System.Net.Sockets;

namespace SmartChain.Node;

/// <summary>
/// Client sessions open now, in total and per source, against their caps. A source is an IPv4 address or an IPv6 /64
/// (one host gets a whole /64, so counting IPv6 addresses one by one would be no cap). When the table is full, a
/// newcomer from a source below its fair share (total cap ÷ sources, the newcomer's included) evicts the session idle
/// longest of the source holding the most, so a few sources can fill the table only until others need a place.
/// </summary>
internal sealed class ClientSessionLimiter(int maxTotal, int maxPerSource)
{
    private readonly Dictionary<IPAddress, List<ClientSessionTicket>> _bySource = [];
    private long _clock; // activity clock: ordering is all eviction needs, and a counter never ties
    private int _total;
    private long _evictions;

    /// <summary>Sessions open now.</summary>
    public int Open
    {
        get
        {
            lock (_bySource)
            {
                return _total;
            }
        }
    }

    /// <summary>Sessions evicted so far to make room for a newcomer below its fair share.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The source a client address counts against: the IPv4 address, or the /64 prefix of an IPv6 address.</summary>
    public static IPAddress SourceOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Takes a place for a session from <paramref name="address"/>: null and the session's <paramref name="ticket"/>, or
    /// why there is none. If the place was freed by evicting another session, <paramref name="evicted"/> says whose
    /// (that session's token is cancelled, so its loop ends).
    /// </summary>
    public string? TryEnter(IPAddress address, CancellationToken stop, out ClientSessionTicket? ticket, out string? evicted)
    {
        IPAddress source = SourceOf(address);
        ticket = null;
        evicted = null;
        ClientSessionTicket? victim;
        lock (_bySource)
        {
            List<ClientSessionTicket>? mine = _bySource.GetValueOrDefault(source);
            int fromSource = mine?.Count ?? 0;
            if (fromSource >= maxPerSource)
            {
                return $"{fromSource} client sessions are open from {Describe(source)} (cap {maxPerSource} per source)";
            }

            victim = null;
            if (_total >= maxTotal)
            {
                victim = VictimFor(fromSource, mine is null ? _bySource.Count + 1 : _bySource.Count);
                if (victim is null)
                {
                    return $"{_total} client sessions are open (cap {maxTotal}) and {Describe(source)} holds its fair share";
                }

                Remove(victim);
                victim.Evicted = true;
                Interlocked.Increment(ref _evictions);
                evicted = $"the session idle longest of {Describe(victim.Source)}, which held the most";
            }

            if (mine is null)
            {
                mine = [];
                _bySource[source] = mine;
            }

            ticket = new ClientSessionTicket(this, source, Tick(), stop);
            mine.Add(ticket);
            _total++;
        }

        victim?.End(); // outside the lock: ending it runs its cancellation callbacks
        return null;
    }

    /// <summary>The session of <paramref name="ticket"/> has ended; its place is free (nothing if it was evicted).</summary>
    public void Leave(ClientSessionTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_bySource)
        {
            if (!ticket.Evicted)
            {
                Remove(ticket);
            }
        }
    }

    /// <summary>The next value of the activity clock.</summary>
    internal long Tick() => Interlocked.Increment(ref _clock);

    private static string Describe(IPAddress source) => source.AddressFamily == AddressFamily.InterNetworkV6 ? $"{source}/64" : source.ToString();

    // The table is full. A newcomer holding `fromSource` sessions, with `sources` sources counted, may evict only if it
    // is below its fair share, and only from a source that would still hold more than the newcomer then (no ping-pong).
    private ClientSessionTicket? VictimFor(int fromSource, int sources)
    {
        int fairShare = maxTotal / sources;
        if (fromSource >= fairShare)
        {
            return null;
        }

        int largest = 0;
        foreach (List<ClientSessionTicket> held in _bySource.Values)
        {
            largest = Math.Max(largest, held.Count);
        }

        if (largest <= fromSource + 1)
        {
            return null;
        }

        // Among the sources holding the most (ties: any of them), the session idle longest.
        ClientSessionTicket? idlest = null;
        foreach (List<ClientSessionTicket> held in _bySource.Values)
        {
            if (held.Count != largest)
            {
                continue;
            }

            foreach (ClientSessionTicket ticket in held)
            {
                if (idlest is null || ticket.LastActive < idlest.LastActive)
                {
                    idlest = ticket;
                }
            }
        }

        return idlest;
    }

    private void Remove(ClientSessionTicket ticket)
    {
        List<ClientSessionTicket> held = _bySource[ticket.Source];
        held.Remove(ticket);
        if (held.Count == 0)
        {
            _bySource.Remove(ticket.Source);
        }

        _total--;
    }
}
