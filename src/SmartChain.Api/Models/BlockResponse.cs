namespace SmartChain.Api.Models;

/// <summary>A whole block: number, hash, header, the consensus instance that decided it, entries with results, certificate (null until certified).</summary>
public sealed record BlockResponse(long Number, string Hash, long ConsensusId, bool Certified, HeaderJson Header, CertificateJson? Certificate,
    int TransactionCount, IReadOnlyList<EntryJson> Entries);
