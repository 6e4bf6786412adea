namespace SmartChain.Api.Models;

/// <summary>
/// The current view and its proof chain: <c>proofs[i]</c> is the receipt of the reconfiguration entry that installed view
/// <c>genesis.id + i + 1</c>, certified by the view before it; following them from the genesis view reaches <c>current</c>.
/// </summary>
public sealed record ViewResponse(ViewJson Genesis, ViewJson Current, IReadOnlyList<ReceiptJson> Proofs);
