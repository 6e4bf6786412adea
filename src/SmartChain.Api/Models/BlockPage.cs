namespace SmartChain.Api.Models;

/// <summary>A page of blocks, newest first; <c>next</c> is the <c>from</c> of the following page (null at block 0).</summary>
public sealed record BlockPage(long Height, long CertifiedHeight, IReadOnlyList<BlockSummary> Blocks, long? Next);
