using System.Collections.Concurrent;
using System.Net;

namespace SmartChain.Api.Endpoints;

/// <summary>How many of a scarce thing (an event stream) each source holds, refusing one above the share per source.</summary>
internal sealed class SourceCounter(int perSource)
{
    private readonly ConcurrentDictionary<IPAddress, int> _held = new();

    /// <summary>
    /// Raised after a place was given back (<see cref="Leave"/>), with its source: the server sees a connection end some
    /// time after the client closed it, and tests await this instead of asking again until a place is free.
    /// </summary>
    public event Action<IPAddress>? Released;

    /// <summary>
    /// The source a connection counts as: an IPv4 address (IPv4-mapped IPv6 unwrapped), or an IPv6 address's /64, since
    /// one host is usually given a whole /64 and could otherwise take a share per address.
    /// </summary>
    public static IPAddress SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>Takes one for <paramref name="source"/>; false if it already holds its share.</summary>
    public bool TryEnter(IPAddress source)
    {
        while (true)
        {
            if (_held.TryGetValue(source, out int held))
            {
                if (held >= perSource)
                {
                    return false;
                }

                if (_held.TryUpdate(source, held + 1, held))
                {
                    return true;
                }
            }
            else if (_held.TryAdd(source, 1))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back one taken by <see cref="TryEnter"/>; a source holding none leaves the table.</summary>
    public void Leave(IPAddress source)
    {
        while (_held.TryGetValue(source, out int held))
        {
            if (held <= 1 ? _held.TryRemove(new KeyValuePair<IPAddress, int>(source, held)) : _held.TryUpdate(source, held - 1, held))
            {
                Released?.Invoke(source);
                return;
            }
        }
    }
}
