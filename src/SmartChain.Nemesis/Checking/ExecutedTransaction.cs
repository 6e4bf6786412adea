using SmartChain.Core.Crypto;

namespace SmartChain.Nemesis.Checking;

/// <summary>A transaction as one ledger executed it (a fresh entry: a repeat of a decided sequence is not counted).</summary>
/// <param name="Block">The block that executed it.</param>
/// <param name="Succeeded">True if its recorded result is Ok.</param>
/// <param name="Inputs">Coin ids it spent (on success).</param>
/// <param name="Created">Coin ids it created (on success).</param>
public sealed record ExecutedTransaction(long Block, bool Succeeded, IReadOnlyList<Hash256> Inputs, IReadOnlyList<Hash256> Created);
