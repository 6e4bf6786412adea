using System.Net;

namespace SmartChain.Network;

/// <summary>Where a replica admits client links: a TCP listener in a process, an in-memory port under the simulator.</summary>
public interface IClientPort : IAsyncDisposable
{
    /// <summary>The address clients reach.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The next authenticated client link, or null once the port is closed.</summary>
    ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken);
}
