using System.Collections.Concurrent;
using SmartChain.Core.Crypto;

namespace SmartChain.Node.Gateway;

/// <summary>
/// Whom to answer for each request a replica took: the consensus thread tracks a request once the pool took it, the
/// execution loop forgets it when it executes (or was decided before), the client sessions forget a closed link's, and
/// the gateway's sweep forgets what waited too long. The one piece of client state several threads touch, so it is a
/// concurrent map behind four operations; bounded by <see cref="ClientBudget.MaxPendingReplies"/> when requests are queued.
/// </summary>
/// <param name="time">The replica's clock, which dates each tracked request for the sweep.</param>
internal sealed class ReplyRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<Hash256, ClientSession> _replyTo = new();

    /// <summary>Requests this replica will answer once executed.</summary>
    public int Count => _replyTo.Count;

    /// <summary>Raised on the consensus thread once a request is tracked (tests await it: the request is in the pool).</summary>
    public event Action<Hash256>? Tracked;

    /// <summary>
    /// On the consensus thread, for a request the pool took: whom to answer once it executes. The bounds were checked when
    /// the request was queued; a session that closed meanwhile tracks nothing.
    /// </summary>
    public void Track(Hash256 digest, ClientSession session)
    {
        if (session.Closed)
        {
            return;
        }

        if (_replyTo.TryGetValue(digest, out ClientSession? earlier) && earlier != session)
        {
            earlier.Pending.TryRemove(digest, out _); // the same request from another link: the newer link is answered
        }

        session.Pending[digest] = time.GetTimestamp();
        _replyTo[digest] = session;
        Tracked?.Invoke(digest);
    }

    /// <summary>Whom to answer for an executed (or repeated) request; it is no longer pending anywhere.</summary>
    public ClientSession? Forget(Hash256 digest)
    {
        if (!_replyTo.TryRemove(digest, out ClientSession? session))
        {
            return null;
        }

        session.Pending.TryRemove(digest, out _);
        return session;
    }

    /// <summary>A closed link's requests have nobody to answer.</summary>
    public void ForgetAll(ClientSession session)
    {
        foreach (Hash256 digest in session.Pending.Keys)
        {
            _replyTo.TryRemove(new KeyValuePair<Hash256, ClientSession>(digest, session));
        }

        session.Pending.Clear();
    }

    /// <summary>Forgets requests tracked before <paramref name="now"/> minus <paramref name="lifetime"/> (timestamps of the replica's clock), and those of closed links.</summary>
    public void Sweep(long now, long lifetime)
    {
        foreach (KeyValuePair<Hash256, ClientSession> entry in _replyTo)
        {
            bool expired = entry.Value.Pending.TryGetValue(entry.Key, out long since) ? now - since > lifetime : true;
            if ((entry.Value.Closed || expired) && _replyTo.TryRemove(entry))
            {
                entry.Value.Pending.TryRemove(entry.Key, out _);
            }
        }
    }
}
