using System.Threading.Channels;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// The ledger loop: appends the blocks execution built, commits every block appended since the last commit with one
/// fsync (group commit), signs each durable header and exchanges signatures into certificates, and releases replies
/// in block order once their block's condition holds — weak: the block is durable; strong: its certificate is too.
/// Execution of the next batch never waits for it.
/// </summary>
public sealed partial class ReplicaHost
{
    private const int MaxInputsPerCommit = 512;
    private const int MaxRetransmitBlocks = 64;
    private readonly Channel<LedgerInput> _ledger = Channel.CreateBounded<LedgerInput>(new BoundedChannelOptions(1_024) { SingleReader = true });
    private readonly Queue<LedgerInput.Persist> _unreleased = new();
    private LedgerInput.Persist? _newestUnreleased;
    private readonly Dictionary<long, BlockCertificate> _certificates = [];
    private readonly Dictionary<long, (Hash256 Hash, byte[] Signature)> _mySignatures = [];
    private readonly ReplyCache _replyCache = new(200_000);
    private readonly List<(long Number, BlockCertificate Certificate)> _completed = [];
    private readonly List<(long Number, BlockCertificate Certificate)> _precertified = [];

    // Blocks whose certificate is durable but which lie beyond a block still waiting for its own: the certified prefix
    // (what WaitForCertifiedAsync and state-transfer tips promise) only moves over contiguous durable certificates.
    private readonly SortedSet<long> _durableCertificates = [];
    private long _committedHeight;
    private long _lastCertified;
    private long _certifiedPrefix;
    private long _ledgerFsyncs;
    private long _blocksCommitted;
    private long _lastAppendedConsensusId;
    private TaskCompletionSource _commitPulse = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Highest block whose certificate is durable here.</summary>
    public long LastCertified => Interlocked.Read(ref _lastCertified);

    /// <summary>Highest block such that it and every block before it are certified and durable here.</summary>
    internal long CertifiedPrefix => Interlocked.Read(ref _certifiedPrefix);

    /// <summary>Highest block durable here.</summary>
    public long CommittedHeight => Interlocked.Read(ref _committedHeight);

    /// <summary>Completes once block <paramref name="block"/> and every block before it are durable and certified here.</summary>
    public Task WaitForCertifiedAsync(long block, CancellationToken cancellationToken) => WaitForCommitAsync(() => Interlocked.Read(ref _certifiedPrefix), block, cancellationToken);

    private Task WaitForCommittedAsync(long block, CancellationToken cancellationToken) => WaitForCommitAsync(() => Interlocked.Read(ref _committedHeight), block, cancellationToken);

    // Every commit pulses: re-read the height after each until it reaches the block.
    private async Task WaitForCommitAsync(Func<long> height, long block, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task pulse = Volatile.Read(ref _commitPulse).Task;
            if (height() >= block)
            {
                return;
            }

            await pulse.WaitAsync(cancellationToken);
        }
    }

    private bool Strong => _genesis.Persistence == PersistenceMode.Strong;

    private async Task LedgerLoopAsync()
    {
        var appended = new List<BuiltBlock>();
        try
        {
            ChannelReader<LedgerInput> reader = _ledger.Reader;
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                appended.Clear();
                bool tick = false;
                for (int n = 0; n < MaxInputsPerCommit && reader.TryRead(out LedgerInput? input); n++)
                {
                    switch (input)
                    {
                        case LedgerInput.Persist persist:
                            BuiltBlock built = WithLateCertificate(persist.Block);
                            _store.Append(built.Block);
                            Hold(persist);
                            if (persist.Installed is { } installed)
                            {
                                long installing = built.Block.Header.Number;
                                _collector.ViewFrom(installing + 1, installed);
                                _uncertifiedReconfigurations[installing] = (built, installed);
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
                            break;
                        case LedgerInput.ServeTransfer serve:
                            _transferServer.ServeFromStore(serve.From, serve.Request, _store, Interlocked.Read(ref _certifiedPrefix));
                            break;
                        case LedgerInput.Signature signature:
                            OnBlockSignature(signature.From, signature.Message);
                            break;
                        case LedgerInput.Repeated repeated:
                            OnRepeated(repeated);
                            break;
                        case LedgerInput.ServeFetch fetch:
                            ServeFetch(fetch.From, fetch.Instance);
                            break;
                        case LedgerInput.TransferredCertificate certificate:
                            OnTransferredCertificate(certificate);
                            break;
                        case LedgerInput.Retransmit:
                            RetransmitSignatures();
                            tick = true;
                            break;
                    }
                }

                CommitAndCertify(appended, tick);
                Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            // A failed fsync leaves the ledger's durability unknown: stop rather than reply on it.
            NodeLog.LedgerFailed(_log, e, Id, Status);
            await _stop.CancelAsync();
            throw;
        }
    }

    // Weak mode needs no fsync of its own for a certificate: it rides on the next block's commit, or on the next
    // once-a-second tick when no block comes. Strong mode fsyncs it at once, since replies wait for it.
    private void CommitAndCertify(List<BuiltBlock> appended, bool tick)
    {
        if (appended.Count > 0 || _precertified.Count > 0 || (_completed.Count > 0 && (Strong || tick)))
        {
            Commit();
        }

        // Only durable headers are signed: a certified block is on the disk of every correct signer. Each block is signed
        // with this replica's key of the view that certifies it (none if it is not a member of that view).
        foreach (BuiltBlock built in appended)
        {
            long number = built.Block.Header.Number;
            Hash256 hash = built.Block.Hash;
            Completed(number, _collector.SetLocal(number, hash));
            if (_signer.KeyFor(_collector.ViewAt(number)) is not { } key)
            {
                continue;
            }

            byte[] signature = BlockCertificate.Sign(key, _genesis.ChainId, hash);
            _mySignatures[number] = (hash, signature);
            _network.Broadcast(FrameType.BlockSignature, new BlockSignatureMessage(number, hash, signature, Wants: false).Encode());
            Completed(number, _collector.Add(Id, number, hash, signature));
            if (_uncertifiedReconfigurations.TryGetValue(number, out var reconfiguration) && !reconfiguration.Installed.Contains(Id))
            {
                // The last block of this replica's membership is signed: its part is done, and its keys go now. It does not
                // wait for the certificate, which the remaining members (Q of the old view without it) complete, and
                // which it might never receive: they close its links once they hold it.
                Retire(number, reconfiguration.Installed);
            }
        }

        if (_completed.Count > 0 && Strong)
        {
            Commit();
        }
    }

    // After the loop has ended: blocks executed but still queued, and certificates completed but not yet written
    // (weak mode defers them), are made durable, so a clean stop keeps everything the replica executed.
    private void CommitPendingCertificates()
    {
        bool appended = false;
        while (_ledger.Reader.TryRead(out LedgerInput? input))
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

    private void Commit()
    {
        foreach ((long number, BlockCertificate certificate) in _completed)
        {
            _store.AppendCertificate(number, certificate);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        long blocks = _store.Commit();
        Interlocked.Increment(ref _ledgerFsyncs);
        Interlocked.Add(ref _blocksCommitted, blocks);
        _metrics.FsyncTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
        Interlocked.Exchange(ref _committedHeight, _store.CommittedHeight);
        Interlocked.Exchange(ref _durableConsensusId, _lastAppendedConsensusId);
        long prefix = _certifiedPrefix;
        while (_durableCertificates.Remove(prefix + 1))
        {
            prefix++;
        }

        Interlocked.Exchange(ref _certifiedPrefix, prefix);
        Interlocked.Exchange(ref _commitPulse, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void CertificateDurable(long number, BlockCertificate certificate)
    {
        if (_uncertifiedReconfigurations.Remove(number, out var reconfiguration))
        {
            ReconfigurationCertified(number, reconfiguration.Block, reconfiguration.Installed, certificate);
        }

        _durableCertificates.Add(number);
        _lastCertified = Math.Max(_lastCertified, number);
        if (Strong)
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
        // A peer re-certifying after a restart asks for this replica's signature of a block it holds durably.
        if (message.Wants && message.Block <= _store.CommittedHeight &&
            (_mySignatures.TryGetValue(message.Block, out var mine) ? mine : SignStored(message.Block)) is ({ } hash, { } signature))
        {
            _network.Send(from, FrameType.BlockSignature, new BlockSignatureMessage(message.Block, hash, signature, Wants: false).Encode());
        }

        Completed(message.Block, _collector.Add(from, message.Block, message.HeaderHash, message.Signature));
    }

    // Null if this replica holds no key of that block's view any more (it moved on and erased it) or never did.
    private (Hash256, byte[])? SignStored(long number)
    {
        Hash256 hash = _store.Read(number).Hash;
        return _signer.KeyFor(_collector.ViewAt(number)) is { } key ? (hash, BlockCertificate.Sign(key, _genesis.ChainId, hash)) : null;
    }

    private void RetransmitSignatures()
    {
        foreach (long number in _collector.Uncertified.Take(MaxRetransmitBlocks))
        {
            if (_mySignatures.TryGetValue(number, out var mine))
            {
                _network.Broadcast(FrameType.BlockSignature, new BlockSignatureMessage(number, mine.Hash, mine.Signature, Wants: true).Encode());
            }
        }
    }

    // Every executed reply goes into the cache; each waiting client gets its own (with a receipt when given one), or
    // the cached answer for a request decided earlier. Shared by the ledger loop and the baselines.
    private void ReleaseReplies(ReplyMessage?[] replies, List<PendingReply> waiting, Func<PendingReply, ReplyMessage, ReplyMessage>? withReceipt)
    {
        foreach (ReplyMessage? reply in replies)
        {
            if (reply is not null)
            {
                _replyCache.Add(reply);
            }
        }

        foreach (PendingReply pending in waiting)
        {
            ReplyMessage? reply = pending.Index >= 0 ? replies[pending.Index] : null;
            Reply(pending.Session, reply is null ? _replyCache.Repeated(pending.Request.Digest) : withReceipt?.Invoke(pending, reply) ?? reply);
        }
    }

    private void Hold(LedgerInput.Persist persist)
    {
        _unreleased.Enqueue(persist);
        _newestUnreleased = persist;
    }

    private void OnRepeated(LedgerInput.Repeated repeated)
    {
        if (_replyCache.TryGet(repeated.Request.Digest, out _) || _unreleased.Count == 0)
        {
            Reply(repeated.Session, _replyCache.Repeated(repeated.Request.Digest));
            return;
        }

        // Decided in a block not released yet: answer when it is, never before its block is durable.
        _newestUnreleased!.Waiting.Add(new PendingReply(repeated.Session, repeated.Request, -1));
    }

    private void Release()
    {
        while (_unreleased.TryPeek(out LedgerInput.Persist? next))
        {
            long number = next.Block.Block.Header.Number;
            BlockCertificate? certificate = null;
            if (number > _store.CommittedHeight || (Strong && !_certificates.Remove(number, out certificate)))
            {
                return;
            }

            _unreleased.Dequeue();
            ReleaseReplies(next.Replies, next.Waiting,
                certificate is null ? null : (pending, reply) => reply with { Receipt = next.Block.Receipt(pending.Index, certificate).Encode() });
            _metrics.Released.Add(next.Block.Block.Body.Entries.Count);
        }
    }
}
