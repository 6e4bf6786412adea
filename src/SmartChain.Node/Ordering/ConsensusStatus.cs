using SmartChain.Core.Views;

namespace SmartChain.Node.Ordering;

/// <summary>
/// What the consensus thread publishes for everyone else (queries, the API, metrics, the status line, state transfer):
/// one immutable value, replaced whenever the regency, the view or the last decided instance changes and at every tick,
/// so no other thread reads the core itself. <see cref="Line"/> (the core's one-line status) is formatted at ticks only,
/// and the pool size moves between publications: both are at most one tick stale.
/// </summary>
internal sealed record ConsensusStatus(int Regency, int Leader, long LastDecided, View View, int PendingRequests, string Line);
