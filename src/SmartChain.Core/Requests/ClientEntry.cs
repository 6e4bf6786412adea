using SmartChain.Core.Crypto;

namespace SmartChain.Core.Requests;

/// <summary>
/// One client's row of the <see cref="ClientTable"/>: its highest decided sequence and the last instance that decided
/// a request of it (the row expires <see cref="ClientTable.Window"/> instances after that).
/// </summary>
public readonly record struct ClientEntry(Ed25519PublicKey Client, ulong Sequence, long LastInstance);
