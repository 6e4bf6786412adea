using System.Runtime.InteropServices;

namespace SmartChain.Testbed.Switch;

/// <summary>
/// An AF_PACKET socket bound to one interface, reading and writing whole Ethernet frames with a virtio-net header in
/// front (PACKET_VNET_HDR). The header carries the kernel's checksum-offload and segmentation state, so a TCP segment
/// whose checksum the sender left for "hardware" (veth never fills it in) or a 64 KiB GSO super-frame is forwarded as
/// it is and completed by the kernel on the way out, instead of arriving corrupt or too big for the link.
/// </summary>
internal sealed partial class PacketSocket : IDisposable
{
    /// <summary>Bytes of the virtio-net header in front of each frame.</summary>
    public const int VnetHeaderBytes = 10;

    private const int AfPacket = 17;
    private const int SockRaw = 3;
    private const ushort EthPAllNetworkOrder = 0x0300; // htons(ETH_P_ALL)
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int SoRcvBufForce = 33;
    private const int SoSndBufForce = 32;
    private const int SolPacket = 263;
    private const int PacketVnetHdr = 15;
    private const int PacketIgnoreOutgoing = 23;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private readonly int _fd;

    public PacketSocket(string interfaceName)
    {
        InterfaceName = interfaceName;
        uint index = IfNameToIndex(interfaceName);
        if (index == 0)
        {
            throw new TestbedException($"no interface {interfaceName} in the bridge namespace");
        }

        _fd = Socket(AfPacket, SockRaw, EthPAllNetworkOrder);
        if (_fd < 0)
        {
            throw new TestbedException($"socket(AF_PACKET) for {interfaceName} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        SetInt(SolPacket, PacketVnetHdr, 1);
        SetInt(SolPacket, PacketIgnoreOutgoing, 1); // our own sends on this port are not frames to forward
        SetInt(SolSocket, SoRcvBufForce, 8 << 20);
        SetInt(SolSocket, SoSndBufForce, 8 << 20);
        Span<long> timeout = [0, 200_000]; // 200 ms: reader threads look at the stop flag that often
        unsafe
        {
            fixed (long* t = timeout)
            {
                Check(SetSockOpt(_fd, SolSocket, SoRcvTimeo, t, 16), "SO_RCVTIMEO");
            }

            Span<byte> address = stackalloc byte[20];
            address.Clear();
            BitConverter.TryWriteBytes(address[..2], (ushort)AfPacket);
            BitConverter.TryWriteBytes(address[2..4], EthPAllNetworkOrder);
            BitConverter.TryWriteBytes(address[4..8], (int)index);
            fixed (byte* a = address)
            {
                Check(Bind(_fd, a, 20), "bind");
            }
        }
    }

    public string InterfaceName { get; }

    /// <summary>Receives one frame (header included) into <paramref name="buffer"/>; 0 on timeout.</summary>
    public int Receive(Span<byte> buffer)
    {
        unsafe
        {
            fixed (byte* b = buffer)
            {
                nint n = Recv(_fd, b, buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                return errno is EAgain or EIntr ? 0 : throw new TestbedException($"recv on {InterfaceName} failed: errno {errno}");
            }
        }
    }

    /// <summary>Sends one frame (header included); false if the kernel refused it (full buffer, link down).</summary>
    public bool Send(ReadOnlySpan<byte> frame)
    {
        unsafe
        {
            fixed (byte* b = frame)
            {
                return SendTo(_fd, b, frame.Length, 0) == frame.Length;
            }
        }
    }

    public void Dispose() => _ = Close(_fd);

    private void SetInt(int level, int name, int value)
    {
        unsafe
        {
            Check(SetSockOpt(_fd, level, name, &value, sizeof(int)), $"setsockopt {level}/{name}");
        }
    }

    private void Check(int result, string what)
    {
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(_fd);
            throw new TestbedException($"{what} on {InterfaceName} failed: errno {errno}");
        }
    }

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint IfNameToIndex(string name);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static unsafe partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static unsafe partial int Bind(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SendTo(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
