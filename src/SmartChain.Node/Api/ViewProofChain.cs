using SmartChain.Core.Views;
using SmartChain.Ledger;

namespace SmartChain.Node.Api;

/// <summary>
/// The view a replica is in and the chain that proves it from the genesis view: one receipt per reconfiguration block,
/// each certified by the view before it (see <see cref="Ledger.Reconfiguration.ViewChain"/>).
/// </summary>
public sealed record ViewProofChain(View Genesis, View Current, IReadOnlyList<TransactionReceipt> Proofs);
