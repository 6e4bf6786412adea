namespace SmartChain.Api.Models;

/// <summary>A Merkle path: the leaf's index, the tree's size, and the sibling hashes (hex) from the leaf up.</summary>
public sealed record MerkleProofJson(long LeafIndex, long TreeSize, IReadOnlyList<string> Path);
