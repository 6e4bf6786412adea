using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node.Transfer;
using SmartChain.Node.Views;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// The ledger loop, one component that owns its thread's state: it appends the blocks execution built, commits every
/// block appended since the last commit with one fsync (group commit), signs each durable header and exchanges
/// signatures into certificates, and releases replies in block order once their block's condition holds — weak: the
/// block is durable; strong: its certificate is too. It also serves what only the store can answer (FETCH of old
/// instances, state-transfer tips and block ranges). Everything reaches it as a <see cref="LedgerInput"/>; what other
/// threads need to know it publishes as a <see cref="LedgerStatus"/>. Execution of the next batch never waits for it.
/// </summary>
internal sealed class LedgerPipeline
{
    private const int MaxInputsPerCommit = 512;

    private readonly int _id;
    private readonly GenesisDocument _genesis;
    private readonly ChannelReader<LedgerInput> _inputs;
    private readonly BlockStore _store;
    private readonly CertificateCollector _collector;
    private readonly ViewSigner _signer;
    private readonly IReplicaLinks _network;
    private readonly TransferServer _transferServer;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _log;
    private readonly ReplyCache _replyCache;
    private readonly LateCertificates _late;
    private readonly ReconfigurationCertifier _reconfigurations;
    private readonly CertificateRequests _requests;
    private readonly bool _strong;

    private readonly UnreleasedBlocks _unreleased = new();
    private readonly Dictionary<long, BlockCertificate> _certificates = [];
    private readonly Dictionary<long, (Hash256 Hash, byte[] Signature)> _mySignatures;
    private readonly List<(long Number, BlockCertificate Certificate)> _completed = [];
    private readonly List<(long Number, BlockCertificate Certificate)> _precertified = [];

    // Blocks whose certificate is durable but which lie beyond a block still waiting for its own: the certified prefix
    // (what WaitForCertifiedAsync and state-transfer tips promise) only moves over contiguous durable certificates.
    private readonly SortedSet<long> _durableCertificates = [];
    private long _lastCertified;
    private long _certifiedPrefix;
    private long _lastReleased; // the newest block whose replies were released (asserted increasing)
    private long _fsyncs;
    private long _blocksCommitted;
    private long _lastAppendedConsensusId;
    private LedgerStatus _status;

    /// <summary>
    /// A pipeline over <paramref name="store"/> as recovery left it: <paramref name="mySignatures"/> are this replica's
    /// signatures of uncertified blocks, <paramref name="unreleased"/> the blocks whose replies still wait, and
    /// <paramref name="reconfigurations"/> follows the reconfiguration blocks whose certificate has not come.
    /// </summary>
    public LedgerPipeline(int id, GenesisDocument genesis, ChannelReader<LedgerInput> inputs, BlockStore store, CertificateCollector collector,
        ViewSigner signer, IReplicaLinks network, TransferServer transferServer, NodeMetrics metrics, ILogger log, ReplyCache replyCache,
        ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> transferredCertificates,
        Dictionary<long, (Hash256 Hash, byte[] Signature)> mySignatures, ReconfigurationCertifier reconfigurations,
        IEnumerable<LedgerInput.Persist> unreleased, long lastCertified, long lastConsensusId)
    {
        _id = id;
        _genesis = genesis;
        _inputs = inputs;
        _store = store;
        _collector = collector;
        _signer = signer;
        _network = network;
        _transferServer = transferServer;
        _metrics = metrics;
        _log = log;
        _replyCache = replyCache;
        _late = new LateCertificates(transferredCertificates);
        _mySignatures = mySignatures;
        _reconfigurations = reconfigurations;
        _requests = new CertificateRequests(genesis.ChainId, store, collector, signer, network, mySignatures,
            (from, count) => NodeLog.CertificationsDropped(log, from, count, CertificateRequests.MaxServedPerPeerPerTick));
        _strong = genesis.Persistence == PersistenceMode.Strong;
        foreach (LedgerInput.Persist persist in unreleased)
        {
            _unreleased.Hold(persist);
        }

        _lastCertified = lastCertified;
        _certifiedPrefix = (collector.LowestUncertified ?? (store.Height + 1)) - 1;

        // Above the lowest uncertified block, those recovery read with their certificates count as durably certified:
        // without them the prefix, once the hole below them fills, stopped there for good (the whole-replica simulator,
        // seed 123: a replica restarted with block 17 uncertified and 18-24 certified kept its certified prefix at 17).
        for (long number = _certifiedPrefix + 2; number <= store.Height; number++)
        {
            if (collector.UncertifiedHash(number) is null)
            {
                _durableCertificates.Add(number);
            }
        }
        _lastAppendedConsensusId = lastConsensusId;
        _status = new LedgerStatus(store.Height, _lastCertified, _certifiedPrefix, lastConsensusId, 0, 0);
    }

    /// <summary>The latest status; read from any thread.</summary>
    public LedgerStatus Status => Volatile.Read(ref _status);

    /// <summary>Completes once <paramref name="height"/> of the published status reaches <paramref name="block"/>.</summary>
    public async Task WaitForAsync(Func<LedgerStatus, long> height, long block, CancellationToken cancellationToken)
    {
        while (true)
        {
            LedgerStatus status = Status;
            if (height(status) >= block)
            {
                return;
            }

            await status.Next.InContext().WaitAsync(cancellationToken);
        }
    }

    /// <summary>The loop; ends when its input channel completes or <paramref name="stop"/> is cancelled, throws if a write fails.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var appended = new List<BuiltBlock>();
        while (await _inputs.WaitToReadAsync(stop))
        {
            appended.Clear();
            bool tick = false;
            for (int n = 0; n < MaxInputsPerCommit && _inputs.TryRead(out LedgerInput? input); n++)
            {
                switch (input)
                {
                    case LedgerInput.Persist persist:
                        Append(persist, appended);
                        break;
                    case LedgerInput.ServeTransfer serve:
                        _transferServer.ServeFromStore(serve.From, serve.Request, _store, _certifiedPrefix);
                        break;
                    case LedgerInput.Signature signature:
                        OnBlockSignature(signature.From, signature.Message);
                        break;
                    case LedgerInput.Certification { Message.Asks: true } asked:
                        AnswerCertification(asked.From, asked.Message.Block);
                        break;
                    case LedgerInput.Certification sent:
                        Completed(sent.Message.Block, _requests.Adopt(sent.From, sent.Message));
                        break;
                    case LedgerInput.Repeated repeated:
                        OnRepeated(repeated);
                        break;
                    case LedgerInput.ServeFetch fetch:
                        FetchServer.Serve(fetch.From, fetch.Instance, _store, _collector, _genesis.CheckpointPeriod, _network, _log);
                        break;
                    case LedgerInput.TransferredCertificate transferred:
                        if (_late.Arrived(transferred.Number, transferred.Hash, transferred.Certificate, _store.Height, _collector) is { } certificate)
                        {
                            _completed.Add((transferred.Number, certificate));
                        }

                        break;
                    case LedgerInput.Retransmit:
                        _requests.Retransmit();
                        tick = true;
                        break;
                }
            }

            CommitAndCertify(appended, tick);
            Release();
        }
    }

    /// <summary>
    /// After the loop has ended: blocks executed but still queued, and certificates completed but not yet written (weak
    /// mode defers them), are made durable, so a clean stop keeps everything the replica executed.
    /// </summary>
    public void FlushOnStop()
    {
        bool appended = false;
        while (_inputs.TryRead(out LedgerInput? input))
        {
            if (input is LedgerInput.Persist persist && persist.Block.Block.Header.Number == _store.Height + 1)
            {
                _store.Append(persist.Block.Block);
                appended = true;
            }
        }

        if (appended || _completed.Count > 0)
        {
            Commit();
        }
    }

    private void Append(LedgerInput.Persist persist, List<BuiltBlock> appended)
    {
        BuiltBlock built = _late.Attach(persist.Block);
        _store.Append(built.Block);
        _unreleased.Hold(persist);
        if (persist.Installed is { } installed)
        {
            long installing = built.Block.Header.Number;
            _collector.ViewFrom(installing + 1, installed);
            _reconfigurations.Appended(installing, built, installed);
        }

        if (built.Block.Certificate is { } transferred)
        {
            _precertified.Add((built.Block.Header.Number, transferred));
        }
        else
        {
            appended.Add(built);
        }

        _lastAppendedConsensusId = persist.Block.Block.Body.ConsensusId;
    }

    // Weak mode needs no fsync of its own for a certificate: it rides on the next block's commit, or on the next
    // once-a-second tick when no block comes. Strong mode fsyncs it at once, since replies wait for it.
    private void CommitAndCertify(List<BuiltBlock> appended, bool tick)
    {
        if (appended.Count > 0 || _precertified.Count > 0 || (_completed.Count > 0 && (_strong || tick)))
        {
            Commit();
        }

        // Only durable headers are signed: a certified block is on the disk of every correct signer. Each block is signed
        // with this replica's key of the view that certifies it (none if it is not a member of that view).
        foreach (BuiltBlock built in appended)
        {
            long number = built.Block.Header.Number;
            Hash256 hash = built.Block.Hash;
            if (_signer.KeyFor(_collector.ViewAt(number)) is not { } key)
            {
                Completed(number, _collector.SetLocal(number, hash));
                continue;
            }

            // Sent before the collector verifies what peers sent earlier; the collector takes this signature as it is.
            byte[] signature = BlockCertificate.Sign(key, _genesis.ChainId, hash);
            _mySignatures[number] = (hash, signature);
            _network.Broadcast(FrameType.BlockSignature, new BlockSignatureMessage(number, hash, signature, Wants: false).Encode());
            Completed(number, _collector.SetLocal(number, hash, (_id, signature)));
            _reconfigurations.Signed(number);
        }

        if (_completed.Count > 0 && _strong)
        {
            Commit();
        }
    }

    private void Commit()
    {
        foreach ((long number, BlockCertificate certificate) in _completed)
        {
            _store.AppendCertificate(number, certificate);
        }

        long started = Stopwatch.GetTimestamp();
        long blocks = _store.Commit();
        _fsyncs++;
        _blocksCommitted += blocks;
        _metrics.FsyncTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _metrics.BlocksPerFsync.Record(blocks);
        foreach ((long number, BlockCertificate certificate) in _completed)
        {
            _mySignatures.Remove(number);
            CertificateDurable(number, certificate);
        }

        _completed.Clear();

        // Blocks that arrived certified (state transfer): nothing to sign or collect.
        foreach ((long number, BlockCertificate certificate) in _precertified)
        {
            _collector.SkipTo(number);
            CertificateDurable(number, certificate);
        }

        _precertified.Clear();
        while (_durableCertificates.Remove(_certifiedPrefix + 1))
        {
            _certifiedPrefix++;
        }

        LedgerStatus previous = _status;
        Volatile.Write(ref _status, new LedgerStatus(_store.CommittedHeight, _lastCertified, _certifiedPrefix, _lastAppendedConsensusId, _fsyncs, _blocksCommitted));
        previous.Superseded();
    }

    private void CertificateDurable(long number, BlockCertificate certificate)
    {
        _reconfigurations.CertificateDurable(number, certificate);
        _durableCertificates.Add(number);
        _lastCertified = Math.Max(_lastCertified, number);
        if (_strong)
        {
            _certificates[number] = certificate; // its replies carry receipts once released
        }
    }

    private void Completed(long number, BlockCertificate? certificate)
    {
        if (certificate is not null)
        {
            _completed.Add((number, certificate));
        }
    }

    private void OnBlockSignature(int from, BlockSignatureMessage message)
    {
        // A peer re-certifying after a restart asks for this replica's certificate or signature of a block it holds.
        if (message.Wants)
        {
            AnswerCertification(from, message.Block);
        }

        Completed(message.Block, _collector.Add(from, message.Block, message.HeaderHash, message.Signature));
    }

    // A block that does not read back (a flipped bit, a failing disk) is reported, never signed or sent, and the loop
    // goes on (the replica refuses to start on it if it is on the disk, not only in the read).
    private void AnswerCertification(int from, long number)
    {
        try
        {
            _requests.Answer(from, number);
        }
        catch (Exception e) when (e is LedgerCorruptException or IOException)
        {
            NodeLog.Storage(_log, $"not answering replica {from}'s request for the certification of block {number}: {e.Message}");
        }
    }

    private void OnRepeated(LedgerInput.Repeated repeated)
    {
        Hash256 digest = repeated.Request.Digest;
        if (_replyCache.TryGet(digest, out ReplyMessage? cached) || _unreleased.PlaceRepeated(digest) is not { } place)
        {
            repeated.Session.Enqueue(FrameType.Reply, RepeatedAnswer(digest, cached));
            return;
        }

        // Decided in a block not released yet: answer when it is, never before its block is durable.
        place.Block.Waiting.Add(new PendingReply(repeated.Session, repeated.Request, place.Index));
    }

    // A request repeated after its block was released: its cached reply, Duplicate. In strong mode with its receipt, read
    // back from the certified block, so a client whose copy reached most replicas only after they released the block
    // (held a few instances ahead, a link that opened late) still gets a receipt, not only Q matching Duplicates.
    private const int RecentBlocks = 8;
    private readonly RepeatedReceiptBudget _repeatedReceipts = new(perSecond: 32);

    private byte[] RepeatedAnswer(Hash256 digest, ReplyMessage? cached)
    {
        ReplyMessage answer = _replyCache.Repeated(digest);
        // Only a recent block (the case above: a copy that arrived just after the release), within the budget.
        if (!_strong || cached is null || cached.Block <= 0 || cached.Block > _store.CommittedHeight ||
            cached.Block < _store.CommittedHeight - RecentBlocks || !_repeatedReceipts.TryTake())
        {
            return answer.Encode();
        }

        try
        {
            Block block = _store.Read(cached.Block);
            IReadOnlyList<ReadOnlyMemory<byte>> entries = block.Body.Entries;
            for (int i = 0; i < entries.Count; i++)
            {
                if (block.Certificate is { } certificate && Hash256.Compute(entries[i].Span) == digest)
                {
                    TransactionReceipt receipt = BuiltBlock.From(block).Receipt(i, certificate);
                    return answer.Encode(receipt, receipt.EncodedSize, static (ref CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w));
                }
            }
        }
        catch (Exception e) when (e is LedgerCorruptException or IOException)
        {
            NodeLog.Storage(_log, $"answering a repeated request {digest} without its receipt: block {cached.Block} does not read: {e.Message}");
        }

        return answer.Encode();
    }

    // Asserted apart from the rule above, so a change to the rule that answers too early stops the replica at once.
    private void AssertReleasable(long number, BlockCertificate? certificate)
    {
        if (number > _store.CommittedHeight || (_strong && certificate is null) || number <= _lastReleased)
        {
            throw new InvariantViolationException(
                $"replies of block {number} released with {_store.CommittedHeight} blocks durable, {(certificate is null ? "no" : "a")} certificate, after block {_lastReleased}");
        }

        _lastReleased = number;
    }

    // The reply-release rule: in block order, once the block is durable (and, in strong mode, its certificate too).
    private void Release()
    {
        while (_unreleased.TryPeek(out LedgerInput.Persist? next))
        {
            long number = next.Block.Block.Header.Number;
            BlockCertificate? certificate = null;
            if (number > _store.CommittedHeight || (_strong && !_certificates.Remove(number, out certificate)))
            {
                return;
            }

            _unreleased.Dequeue();
            AssertReleasable(number, certificate);
            _replyCache.Release(next.Replies, next.Waiting, certificate is null ? null : (pending, reply) =>
            {
                TransactionReceipt receipt = next.Block.Receipt(pending.Index, certificate);
                return reply.Encode(receipt, receipt.EncodedSize, static (ref CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w));
            });
            _metrics.Released.Add(next.Block.Block.Body.Entries.Count);
        }
    }
}
