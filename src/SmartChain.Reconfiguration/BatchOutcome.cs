using SmartChain.Core.Views;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Reconfiguration;

/// <summary>
/// What executing a batch produced: one result per request, the view it installed (in force from the next block on), and
/// the system requests' results by their index in the batch (replicas sign approved JOINs' records into their replies).
/// </summary>
public sealed record BatchOutcome(IReadOnlyList<byte[]> Results, View? Installed, IReadOnlyList<(int Index, SystemResult Result)> SystemResults);
