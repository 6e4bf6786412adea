using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SmartChain.Testbed;

/// <summary>An IPv4 prefix such as 10.77.3.0/24.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    /// <summary>Parses "a.b.c.d/len" (the host bits are cleared).</summary>
    /// <exception cref="TestbedException">Not an IPv4 prefix.</exception>
    public static Ipv4Subnet Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length is < 1 or > 2 || !IPAddress.TryParse(parts[0], out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork ||
            (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len > 32)))
        {
            throw new TestbedException($"'{text}' is not an IPv4 prefix (a.b.c.d/len)");
        }

        int length = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 32;
        return new Ipv4Subnet(ToUInt(address) & Mask(length), length);
    }

    /// <summary>True if <paramref name="text"/> is an IPv4 address or prefix; <paramref name="subnet"/> is it.</summary>
    public static bool TryParse(string text, out Ipv4Subnet subnet)
    {
        try
        {
            subnet = Parse(text);
            return true;
        }
        catch (TestbedException)
        {
            subnet = default;
            return false;
        }
    }

    /// <summary>True if the two prefixes share any address.</summary>
    public bool Overlaps(Ipv4Subnet other)
    {
        int shorter = Math.Min(PrefixLength, other.PrefixLength);
        return (Network & Mask(shorter)) == (other.Network & Mask(shorter));
    }

    /// <summary>True if the whole of <paramref name="other"/> lies inside this prefix.</summary>
    public bool Contains(Ipv4Subnet other) => other.PrefixLength >= PrefixLength && (other.Network & Mask(PrefixLength)) == Network;

    /// <summary>True if the prefix lies in 10/8, 172.16/12 or 192.168/16 (RFC 1918).</summary>
    public bool IsPrivate =>
        Parse("10.0.0.0/8").Contains(this) || Parse("172.16.0.0/12").Contains(this) || Parse("192.168.0.0/16").Contains(this);

    /// <summary>The address <paramref name="host"/> places after the network address.</summary>
    public string Host(int host) => new IPAddress(BitConverter.IsLittleEndian
        ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Network + (uint)host)
        : Network + (uint)host).ToString();

    /// <inheritdoc/>
    public override string ToString() => $"{Host(0)}/{PrefixLength}";

    private static uint Mask(int length) => length == 0 ? 0 : uint.MaxValue << (32 - length);

    private static uint ToUInt(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
