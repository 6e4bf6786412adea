using SmartChain.Core.Crypto;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// Replies already released, by request digest, so a request repeated after its decision is answered exactly as the
/// first time. Bounded: the oldest go first. Used by one thread: the ledger loop (or, in the naive baselines, the
/// execution loop).
/// </summary>
internal sealed class ReplyCache(int capacity)
{
    // Requests answered Stale lately: a reply executed for one of them later means this replica told a client "never
    // executed, sign again" for a request it was about to execute (an answer that overtook its decision).
    private const int StaleKept = 1024;
    private readonly Dictionary<Hash256, ReplyMessage> _replies = [];
    private readonly Queue<Hash256> _order = new();
    private readonly HashSet<Hash256> _stale = [];
    private readonly Queue<Hash256> _staleOrder = new();
    private readonly HashSet<ClientSession> _touched = []; // sessions given replies by the block being released

    public bool TryGet(Hash256 digest, out ReplyMessage? reply) => _replies.TryGetValue(digest, out reply);

    public void Add(ReplyMessage reply)
    {
        if (_stale.Count > 0 && _stale.Contains(reply.Digest))
        {
            throw new Core.InvariantViolationException(
                $"request {reply.Digest} was answered Stale (never executed) before this replica executed it in instance {reply.Instance}");
        }

        if (_replies.TryAdd(reply.Digest, reply))
        {
            _order.Enqueue(reply.Digest);
            while (_order.Count > capacity)
            {
                _replies.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>
    /// Every executed reply goes into the cache; each waiting client gets its own (encoded with its receipt by
    /// <paramref name="encodeWithReceipt"/> when given one), or the cached answer for a request decided earlier; each
    /// client's replies of the block leave together.
    /// </summary>
    public void Release(ReplyMessage?[] replies, List<PendingReply> waiting, Func<PendingReply, ReplyMessage, byte[]>? encodeWithReceipt)
    {
        foreach (ReplyMessage? reply in replies)
        {
            if (reply is not null)
            {
                Add(reply);
            }
        }

        foreach (PendingReply pending in waiting)
        {
            ReplyMessage? reply = pending.Index >= 0 ? replies[pending.Index] : null;
            byte[] answer = reply is null ? Repeated(pending.Request.Digest).Encode()
                : encodeWithReceipt is null ? reply.Encode()
                : encodeWithReceipt(pending, reply);
            if (pending.Session.Enqueue(Network.FrameType.Reply, answer, send: false))
            {
                _touched.Add(pending.Session);
            }
        }

        // A block's replies are all queued first, then each session sends what it has at once: one write and one flush per
        // client and block, on this thread, instead of one per reply or a send task woken per client.
        foreach (ClientSession session in _touched)
        {
            session.Send();
        }

        _touched.Clear();
    }

    /// <summary>The answer to a request whose sequence was already decided: its cached reply, or Stale if evicted.</summary>
    public ReplyMessage Repeated(Hash256 digest)
    {
        if (_replies.TryGetValue(digest, out ReplyMessage? cached))
        {
            return cached with { Status = ReplyStatus.Duplicate };
        }

        if (_stale.Add(digest))
        {
            _staleOrder.Enqueue(digest);
            if (_staleOrder.Count > StaleKept)
            {
                _stale.Remove(_staleOrder.Dequeue());
            }
        }

        return new ReplyMessage(digest, ReplyStatus.Stale, 0, "sequence below the client's highest decided one; sign again with a new sequence"u8.ToArray());
    }
}
