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

    /// <summary>Transactions to run once before the streams start (minting their coins), in order, naming <paramref name="notBefore"/>.</summary>
    IReadOnlyList<SignedRequest> Setup(long notBefore);

    /// <summary>The next request of stream <paramref name="stream"/>, naming <paramref name="notBefore"/> (an instance the network decided).</summary>
    SignedRequest NextRequest(int stream, long notBefore);

    /// <summary>Stream <paramref name="stream"/>'s request was accepted with <paramref name="reply"/>; false if the result breaks the stream.</summary>
    bool Accepted(int stream, ReplyMessage reply);
}
