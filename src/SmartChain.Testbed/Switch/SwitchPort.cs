namespace SmartChain.Testbed.Switch;

/// <summary>One port of the bridge: a host's veth end, its socket, and its link's profile in this generation.</summary>
internal sealed record SwitchPort(int Index, string Host, PacketSocket Socket, LinkProfile Profile);
