using Microsoft.Extensions.Logging;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Node.Api;

/// <summary>
/// The replica side of the HTTP API (<see cref="INodeApi"/>). It reads the ledger through its own read-only handle of
/// the block store, following what the ledger loop appends (woken by each commit), so a request never touches the
/// ledger loop's store; it indexes recent blocks and transactions, feeds certified block numbers to subscribers, and
/// submits through <see cref="ApiSubmitter"/>. Status values are read the way the status line reads them.
/// </summary>
public sealed class ReplicaApi : INodeApi, IAsyncDisposable
{
    private readonly ReplicaHost _host;
    private readonly NodeApiOptions _options;
    private readonly ILogger _log;
    private readonly Lock _storeGate = new();
    private readonly BlockStore _reader;
    private readonly ChainIndex _index;
    private readonly ApiSubmitter _submitter;
    private readonly Lock _feedGate = new();
    private readonly List<BlockFeed> _feeds = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _follower;

    // The most recent certified blocks, decoded, by number modulo its size: the head pages, the block events and the
    // receipts of fresh transactions (what an explorer asks most) are answered from memory, not from the files.
    private const int RecentBlocks = 512;
    private readonly Block?[] _recent = new Block?[RecentBlocks];
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _height;
    private long _certified;
    private long _indexed;

    private ReplicaApi(ReplicaHost host, NodeApiOptions options, ILoggerFactory loggers)
    {
        _host = host;
        _options = options;
        _log = loggers.CreateLogger($"replica{host.Id}.api");
        _reader = BlockStore.OpenReadOnly(host.Readout.DataDirectory, line => ApiLog.FollowFailed(_log, line));
        _index = new ChainIndex(options.MaxIndexedTransactions, options.MaxIndexedBlocks);
        _indexed = Math.Max(0, _reader.Height - options.IndexBlocksAtStart) - 1;
        _height = -1;
        _certified = -1;
        _submitter = new ApiSubmitter(host, _log, options.SubmitAnswerLifetime);
        _follower = FollowAsync();
    }

    /// <summary>Starts the API adapter of a running replica.</summary>
    public static ReplicaApi Start(ReplicaHost host, ILoggerFactory loggers, NodeApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(loggers);
        return new ReplicaApi(host, options ?? NodeApiOptions.Default, loggers);
    }

    /// <inheritdoc />
    public GenesisDocument Genesis => _host.Readout.Genesis;

    /// <inheritdoc />
    public long Height => Interlocked.Read(ref _height);

    /// <inheritdoc />
    public long CertifiedHeight => Interlocked.Read(ref _certified);

    /// <inheritdoc />
    public NodeStatus Status() => _host.Readout.ApiStatus();

    /// <inheritdoc />
    public Block? ReadBlock(long number)
    {
        if (number < 0 || number > Height)
        {
            return null;
        }

        if (Volatile.Read(ref _recent[number % RecentBlocks]) is { } recent && recent.Header.Number == number)
        {
            return recent;
        }

        lock (_storeGate)
        {
            return _reader.Read(number);
        }
    }

    /// <inheritdoc />
    public long? FindBlock(Hash256 hash) => _index.Block(hash);

    /// <inheritdoc />
    public TxLocation? FindTransaction(Hash256 id) => _index.Transaction(id) is { } at && at.Block <= Height ? at : null;

    /// <inheritdoc />
    public TransactionReceipt? Receipt(TxLocation at)
    {
        if (at.Block > CertifiedHeight || ReadBlock(at.Block) is not { Certificate: { } certificate } block || at.Index < 0 || at.Index >= block.Body.Entries.Count)
        {
            return null;
        }

        IReadOnlyList<ReadOnlyMemory<byte>> entries = block.Body.Entries;
        IReadOnlyList<ReadOnlyMemory<byte>> results = block.Body.Results;
        return new TransactionReceipt(block.Header, certificate, at.Index, entries[at.Index], results[at.Index],
            BlockMerkle.Prove(entries, at.Index), BlockMerkle.Prove(results, at.Index));
    }

    /// <inheritdoc />
    public ViewProofChain Views()
    {
        var proofs = new List<TransactionReceipt>();
        long after = Genesis.InitialView.Id;
        while (true)
        {
            IReadOnlyList<TransactionReceipt> more = _host.Readout.ViewProofsAfter(after);
            if (more.Count == 0)
            {
                break;
            }

            proofs.AddRange(more);
            after += more.Count;
        }

        return new ViewProofChain(Genesis.InitialView, _host.CurrentView, proofs);
    }

    /// <inheritdoc />
    public byte[] Query(ReadOnlySpan<byte> query) => _host.Readout.Query(query);

    /// <inheritdoc />
    public SubmitOutcome? Submitted(Hash256 id) => _submitter.Outcome(id);

    /// <inheritdoc />
    public ValueTask<SubmitOutcome> SubmitAsync(SignedRequest request, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _submitter.SubmitAsync(request, wait, cancellationToken);
    }

    /// <inheritdoc />
    public Task WaitForCertifiedAsync(long block, CancellationToken cancellationToken) => WaitForAsync(() => CertifiedHeight, block, cancellationToken);

    /// <inheritdoc />
    public Task WaitForHeightAsync(long block, CancellationToken cancellationToken) => WaitForAsync(() => Height, block, cancellationToken);

    /// <inheritdoc />
    public Core.Views.View? CertifyingView(BlockHeader header) => _host.Readout.CertifyingView(header);

    private async Task WaitForAsync(Func<long> height, long block, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task advanced = Volatile.Read(ref _advanced).Task;
            if (height() >= block)
            {
                return;
            }

            await advanced.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public BlockFeed? Subscribe()
    {
        lock (_feedGate)
        {
            if (_feeds.Count >= _options.MaxFeeds)
            {
                return null;
            }

            var feed = new BlockFeed(Leave);
            _feeds.Add(feed);
            return feed;
        }
    }

    private void Leave(BlockFeed feed)
    {
        lock (_feedGate)
        {
            _feeds.Remove(feed);
        }
    }

    // Wakes at each commit of the ledger loop (and at least every 250 ms): reads what was appended, indexes it, serves
    // it once durable, and feeds subscribers the blocks whose certificates are durable.
    private async Task FollowAsync()
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            Task pulse = _host.Readout.CommitPulse;
            try
            {
                Advance();
            }
            catch (Exception e) when (e is IOException or LedgerCorruptException or UnauthorizedAccessException or Core.Encoding.EncodingException)
            {
                ApiLog.FollowFailed(_log, e.Message);
            }

            try
            {
                await pulse.WaitAsync(TimeSpan.FromMilliseconds(250), _stop.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Advance()
    {
        NodeStatus status = _host.Readout.ApiStatus();
        long followed;
        lock (_storeGate)
        {
            followed = _reader.Follow();
        }

        long height = Math.Min(followed, status.Height);
        for (long n = _indexed + 1; n <= height; n++)
        {
            Block block;
            lock (_storeGate)
            {
                block = _reader.Read(n);
            }

            _index.Add(block);
            if (block.Certificate is not null)
            {
                Volatile.Write(ref _recent[n % RecentBlocks], block);
            }

            _indexed = n;
        }

        bool grew = height > Interlocked.Read(ref _height);
        if (grew)
        {
            Interlocked.Exchange(ref _height, height);
        }

        long certified = Math.Min(status.CertifiedHeight, height);
        long from = Interlocked.Read(ref _certified);
        if (certified <= from)
        {
            if (grew)
            {
                Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            return;
        }

        for (long n = Math.Max(from + 1, certified - RecentBlocks + 1); n <= certified; n++)
        {
            if (Volatile.Read(ref _recent[n % RecentBlocks]) is { Certificate: not null } cached && cached.Header.Number == n)
            {
                continue;
            }

            Block block;
            lock (_storeGate)
            {
                block = _reader.Read(n);
            }

            if (block.Certificate is not null || n == 0)
            {
                Volatile.Write(ref _recent[n % RecentBlocks], block);
            }
        }

        Interlocked.Exchange(ref _certified, certified);
        lock (_feedGate)
        {
            foreach (BlockFeed feed in _feeds)
            {
                for (long n = Math.Max(from + 1, certified - BlockFeed.Capacity + 1); n <= certified; n++)
                {
                    feed.Publish(n);
                }
            }
        }

        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _follower;
        await _submitter.DisposeAsync();
        lock (_feedGate)
        {
            foreach (BlockFeed feed in _feeds)
            {
                feed.Complete();
            }
        }

        lock (_storeGate)
        {
            _reader.Dispose();
        }

        _stop.Dispose();
    }
}
