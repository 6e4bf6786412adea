using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Load;

/// <summary>
/// Independent streams of transactions, one outstanding request per stream (closed loop): stream i's next request may
/// depend on the reply to its previous one, never on another stream's.
/// </summary>
public interface IStreamWorkload
{
    /// <summary>Number of streams.</summary>
    int Streams { get; }

    /// <summary>Transactions to run once before the streams start (minting their coins), in order.</summary>
    IReadOnlyList<SignedRequest> Setup();

    /// <summary>The next request of stream <paramref name="stream"/>.</summary>
    SignedRequest NextRequest(int stream);

    /// <summary>Stream <paramref name="stream"/>'s request was accepted with <paramref name="reply"/>; false if the result breaks the stream.</summary>
    bool Accepted(int stream, ReplyMessage reply);
}
