namespace SmartChain.Api.Models;

/// <summary>
/// A transaction receipt: <c>encoded</c> is its canonical bytes in base64 (what <c>smartchain receipt verify</c> reads);
/// the other fields are the same receipt, spelled out.
/// </summary>
public sealed record ReceiptJson(string Encoded, long Block, int Index, HeaderJson Header, CertificateJson Certificate, string Entry, string Result,
    MerkleProofJson EntryProof, MerkleProofJson ResultProof);
