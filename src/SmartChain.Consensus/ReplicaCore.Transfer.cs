using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// State transfer's two ways into the core (SPEC §6). A replica far behind either jumps over instances whose effect
/// a verified snapshot already holds (<see cref="JumpTo"/>), or is handed decided instances taken from certified
/// blocks (<see cref="DeliverTransferred"/>), which it checks and decides like any DECISION. The driver verified the
/// blocks' certificates; the core still checks each decision proof itself.
/// </summary>
public sealed partial class ReplicaCore
{
    private readonly Queue<DecisionMessage> _heldTransferred = new();

    /// <summary>
    /// Continues after instance <paramref name="instance"/>, whose state (and replay-protection table
    /// <paramref name="clients"/>) came from a verified snapshot, in the snapshot's <paramref name="view"/> with
    /// <paramref name="key"/> (this replica's key of it; null if not a member). A later <paramref name="regency"/> seen in
    /// the transferred blocks is adopted. Does nothing if the core already decided that far.
    /// </summary>
    public void JumpTo(long instance, int regency, IEnumerable<ClientEntry> clients, View view, Ed25519KeyPair? key)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(view);
        if (instance <= LastDecided)
        {
            return;
        }

        _barrier = null;
        if (view.Id != _view.Id || (key is not null) != IsMember)
        {
            // No regency change of its own here: the regency comes from the transferred blocks, as the others reached it.
            CheckKey(Id, view, key);
            _previousView = view.Id != _view.Id ? _view : _previousView;
            _view = view;
            _key = view.Contains(Id) ? key : null;
            _stops.Clear();
            _stopDatas.Clear();
            _pendingSync = null;
            _synced = true;
        }

        _clients.Reset(clients);
        _pool.RemoveAllDecided(_clients);
        _pool.Open(instance + 1);
        _recent.Clear();
        _recentOrder.Clear();
        foreach (long stale in _future.Keys.Where(k => k <= instance).ToList())
        {
            Unbuffer(_future[stale]);
            _future.Remove(stale);
        }

        AdoptRegency(regency, instance);
        OpenAfter(instance);
        Release();
    }

    /// <summary>
    /// A decided instance from a certified block received by state transfer: decided here if it is the open instance
    /// and its proof verifies; ignored if already decided; refused otherwise.
    /// </summary>
    public void DeliverTransferred(DecisionMessage decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Instance <= LastDecided)
        {
            return;
        }

        if (_barrier is not null)
        {
            _heldTransferred.Enqueue(decision); // it may belong to the view the barrier's execution installs
            return;
        }

        if (decision.Instance != _current.Id)
        {
            Reject(Id, "transfer-gap", $"transferred instance {decision.Instance} while instance {_current.Id} is open", evidence: false);
            return;
        }

        DecideProven(Id, decision, "transferred decision", evidence: false);
    }

    // A proven decision in a later regency means Q replicas installed and synced it; so does one in our own regency
    // while we are not synced (a replica restarted from its STOP record comes back in that regency, unsynced, and
    // nobody resends it the SYNC: without this it would drop every vote of the regency and follow by FETCH only).
    private void AdoptRegency(int regency, long instance)
    {
        if (regency == Regency && !_synced)
        {
            _synced = true;
            return;
        }

        if (regency > Regency)
        {
            Regency = regency;
            _synced = true;
            _persist.Add(new VoteRecord(MessageType.Stop, instance, Regency, Hash256.Zero));
        }
    }
}
