using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;

namespace SmartChain.Node.Api;

/// <summary>
/// Everything the HTTP API may ask of a replica: read-only views of its status, ledger and views, the application's
/// query, a feed of newly certified blocks, and a submit path with its own bounded queue into the replica's ordinary
/// client-request path. No member blocks, or waits for, the consensus, execution or ledger loops.
/// </summary>
public interface INodeApi
{
    /// <summary>The chain's genesis.</summary>
    GenesisDocument Genesis { get; }

    /// <summary>The replica's progress now.</summary>
    NodeStatus Status();

    /// <summary>The highest block the API serves (durable at this replica and read back from its ledger).</summary>
    long Height { get; }

    /// <summary>The end of the certified prefix the API serves (at most <see cref="Height"/>).</summary>
    long CertifiedHeight { get; }

    /// <summary>Block <paramref name="number"/>, with its certificate if stored; null above <see cref="Height"/>.</summary>
    Block? ReadBlock(long number);

    /// <summary>The number of the block with this header hash, if it is among the blocks indexed.</summary>
    long? FindBlock(Hash256 hash);

    /// <summary>Where the transaction with this id (request digest) is, if it is among the transactions indexed.</summary>
    TxLocation? FindTransaction(Hash256 id);

    /// <summary>The receipt of the transaction at <paramref name="at"/>; null until its block is certified.</summary>
    TransactionReceipt? Receipt(TxLocation at);

    /// <summary>The current view and its proof chain from the genesis view.</summary>
    ViewProofChain Views();

    /// <summary>The application's answer to a read-only query (its own encoding).</summary>
    /// <exception cref="Core.Encoding.EncodingException">Not a query the application knows.</exception>
    byte[] Query(ReadOnlySpan<byte> query);

    /// <summary>What this API last heard of a transaction it submitted, if it still remembers.</summary>
    SubmitOutcome? Submitted(Hash256 id);

    /// <summary>
    /// Queues <paramref name="request"/> for the replica; answers at once with <see cref="SubmitState.Pending"/> (or
    /// Rejected if the API's queue is full) unless <paramref name="wait"/>, then with the replica's answer, or Pending if
    /// none came before <paramref name="cancellationToken"/>.
    /// </summary>
    ValueTask<SubmitOutcome> SubmitAsync(SignedRequest request, bool wait, CancellationToken cancellationToken);

    /// <summary>Completes once <see cref="CertifiedHeight"/> reaches <paramref name="block"/>.</summary>
    Task WaitForCertifiedAsync(long block, CancellationToken cancellationToken);

    /// <summary>Completes once <see cref="Height"/> reaches <paramref name="block"/>.</summary>
    Task WaitForHeightAsync(long block, CancellationToken cancellationToken);

    /// <summary>The view whose quorum certifies the block with <paramref name="header"/>, if known here.</summary>
    Core.Views.View? CertifyingView(BlockHeader header);

    /// <summary>A feed of newly certified block numbers; null if too many feeds are open.</summary>
    BlockFeed? Subscribe();
}
