namespace SmartChain.Api.Models;

/// <summary>
/// A block header's fields (hashes in lower-case hex) and <c>encoded</c>, its canonical bytes in base64: the block hash
/// is SHA-256 of those bytes, and the certificate's signers sign a statement over that hash.
/// </summary>
public sealed record HeaderJson(long Number, long LastReconfig, long LastCheckpoint, string HashTransactions, string HashResults, string HashLastBlock,
    string Encoded);
