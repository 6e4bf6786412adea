using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// Views change at a decision boundary (SPEC §5). A decided batch with a request that may change the view (RECONFIGURE,
/// LEAVE, EXCLUDE) puts the core behind a barrier: it orders nothing, and holds what peers send, until the driver has
/// executed that instance and calls <see cref="ResumeAfter"/> with the view in force after it (the same one if the request
/// changed nothing). Every correct replica executes the same batches, so all switch views after the same instance. The
/// regency carries over; if the new view no longer holds the leader, every replica moves to the next regency at once,
/// without waiting for a timeout. A replica that is not a member of the view in force is an observer: it learns
/// decisions but proposes, votes and suspects nobody.
/// </summary>
public sealed partial class ReplicaCore
{
    private const int MaxHeld = 4096;
    private readonly List<(int From, ConsensusMessage Message)> _held = [];
    private readonly Dictionary<int, (int Count, long Bytes)> _heldFrom = [];
    private long? _barrier;

    /// <summary>True if this replica is a member of the view in force (and so orders).</summary>
    public bool IsMember => _key is not null;

    /// <summary>
    /// Encoded bytes of the messages for the next view (or behind a barrier) this replica holds from
    /// <paramref name="peer"/>: at most <see cref="ConsensusOptions.BufferedBytesPerPeer"/>, or one message if a single
    /// one is larger.
    /// </summary>
    public long HeldBytesFrom(int peer) => _heldFrom.GetValueOrDefault(peer).Bytes;

    /// <summary>The view in force.</summary>
    public View View => _view;

    /// <summary>The instance whose execution the core waits for before it orders again (null: none).</summary>
    public long? AwaitingViewAfter => _barrier;

    /// <summary>
    /// Instance <paramref name="instance"/>, which put the core behind a barrier, has been executed and
    /// <paramref name="view"/> is in force after it, with <paramref name="key"/> this replica's key of that view (null if
    /// it is not a member). Ordering resumes, in the new view if it is one.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not this replica's key of the view.</exception>
    public void ResumeAfter(long instance, View view, Ed25519KeyPair? key)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_barrier != instance)
        {
            return; // already past it (a snapshot jumped over it)
        }

        _barrier = null;
        if (view.Id != _view.Id)
        {
            Enter(view, key, instance);
        }

        OpenAfter(instance);
        Release();
        while (_barrier is null && _heldTransferred.TryDequeue(out DecisionMessage? transferred))
        {
            DeliverTransferred(transferred);
        }
    }

    private static void CheckKey(int replicaId, View view, Ed25519KeyPair? key)
    {
        if (key is not null && (!view.TryGetMember(replicaId, out ReplicaMember? me) || me!.ViewKey.Key != key.PublicKey))
        {
            throw new ArgumentException($"replica {replicaId} is not in {view} with this key", nameof(key));
        }
    }

    private void Enter(View view, Ed25519KeyPair? key, long instance)
    {
        CheckKey(Id, view, key);
        int leader = Leader;
        View old = _view;
        _previousView = old;
        _view = view;
        _key = view.Contains(Id) ? key : null;
        _stops.Clear();
        _stopDatas.Clear();
        _pendingSync = null;
        _lastSync = null;
        _myStopData = null;
        _myCertificate = null;
        _synced = true;
        _failedRegencies = 0;
        if (!view.Contains(leader))
        {
            // The leader left the view: every replica moves on at once, the same way, with no timeout to wait for.
            Regency++;
            Count("leader-removed");
            _persist.Add(new VoteRecord(MessageType.Stop, instance + 1, Regency, Hash256.Zero));
        }

        _stopSent = Regency;
        _regencyStart = _ticks;
        _progressAt = _ticks;
        foreach (long stale in _future.Keys.ToList())
        {
            List<(int From, ConsensusMessage Message)> kept = [.. _future[stale].Where(m => m.Message.ViewId == view.Id)];
            Unbuffer([.. _future[stale].Where(m => m.Message.ViewId != view.Id)]);
            if (kept.Count == 0)
            {
                _future.Remove(stale);
            }
            else
            {
                _future[stale] = kept;
            }
        }

        if (!IsMember)
        {
            _pool.Clear();
        }

        Reject(Id, "view-installed", $"{view} installed after instance {instance} (was {old}); members {view.MemberList}; leader {Leader}", evidence: false);
    }

    // Between a barrier's decision and its resolution, or for the next view, messages wait (bounded; peers retransmit).
    // Each peer may fill only its share (count and bytes), so one that floods cannot crowd out the others' messages for
    // the next view, nor park maximal messages here.
    private void Hold(int from, ConsensusMessage message)
    {
        (int fromCount, long fromBytes) = _heldFrom.GetValueOrDefault(from);
        long size = MessageSize.Of(message);
        if (_held.Count < MaxHeld && fromCount < MaxHeld / _view.N && WithinByteShare(fromBytes, size))
        {
            _held.Add((from, message));
            _heldFrom[from] = (fromCount + 1, fromBytes + size);
            return;
        }

        Reject(from, "hold-share-full", $"{message.Type} for view {message.ViewId} ({size} B) not held: {fromCount} ({fromBytes} B) of replica {from}, {_held.Count} in all, wait already; the share is {_options.BufferedBytesPerPeer} B", evidence: false);
    }

    private void Release()
    {
        if (_held.Count == 0 || _barrier is not null)
        {
            return;
        }

        List<(int From, ConsensusMessage Message)> held = [.. _held];
        _held.Clear();
        _heldFrom.Clear();
        foreach ((int from, ConsensusMessage message) in held)
        {
            if (message.ViewId == _view.Id && _view.Contains(from))
            {
                Step(from, message);
            }
            else if (message.ViewId == _view.Id + 1)
            {
                Hold(from, message);
            }
        }
    }

    // Decided with a fresh request that may change the view: the next instance waits for its execution.
    private static bool NeedsBarrier(IReadOnlyList<SignedRequest> batch, bool[] fresh)
    {
        for (int j = 0; j < batch.Count; j++)
        {
            if (fresh[j] && SystemOperation.MayChangeView(batch[j].Operation.Span))
            {
                return true;
            }
        }

        return false;
    }
}
