namespace SmartChain.Api.Models;

/// <summary>
/// Entry <c>index</c> of a block: its transaction id (SHA-256 of the entry), the signed request's client key and sequence
/// when the entry is a client request (null otherwise), and the entry's and its result's bytes in base64.
/// </summary>
public sealed record EntryJson(int Index, string Id, string? Client, ulong? Sequence, int Size, string Entry, string Result);
