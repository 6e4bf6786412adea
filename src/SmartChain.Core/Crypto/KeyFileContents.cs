namespace SmartChain.Core.Crypto;

/// <summary>What a key file holds, as JSON: the algorithm, the public key and the RFC 8032 seed, in hex.</summary>
internal sealed record KeyFileContents(string? Type, string? PublicKey, string? PrivateKey);
