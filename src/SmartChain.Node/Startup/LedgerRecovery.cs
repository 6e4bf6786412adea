using System.Diagnostics;
using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Network.Client;

namespace SmartChain.Node.Startup;

/// <summary>
/// Rebuilds a restarting replica from its own ledger (SPEC §6): re-executes every block onto the application, rebuilds
/// the replay-protection table and the reply cache, and keeps the last decisions to answer peers' FETCH. Certified
/// blocks were checked when they were certified; a block without a certificate is checked as a stranger's would be:
/// its decision proof and its clients' signatures. Anything that fails stops the replica with the block and the reason.
/// </summary>
internal static class LedgerRecovery
{
    /// <summary>What recovery rebuilt.</summary>
    public sealed record Result(BlockHeader Head, long LastConsensusId, IReadOnlyList<long> Uncertified, IReadOnlyList<Decision> Recent,
        long Transactions, TimeSpan Elapsed)
    {
        /// <summary>
        /// Strong mode: the uncertified blocks with their replies, kept out of the reply cache until their certificate
        /// is durable, as replies of live blocks are.
        /// </summary>
        public IReadOnlyList<(Block Block, ReplyMessage?[] Replies)> Unreleased { get; init; } = [];

        /// <summary>Highest block with a certificate (0: genesis, which needs none).</summary>
        public long LastCertified { get; init; }

        /// <summary>The block whose snapshot recovery started from; null: it replayed from genesis.</summary>
        public long? FromCheckpoint { get; init; }

        /// <summary>The snapshot the next checkpoint block records: the state at the last checkpoint block passed.</summary>
        public (long Block, Hash256 Hash, long Size) PendingSnapshot { get; init; }

        /// <summary>What the replay executed onto (application and reconfiguration state), to continue from.</summary>
        public required Reconfiguration.ReplicatedStateMachine Machine { get; init; }
    }

    /// <summary>
    /// Replays the ledger; <paramref name="vote"/> gives this replica's vote on an approved JOIN's result in the view that
    /// certifies its block (empty if none), which the recovered reply carries as an executed one does.
    /// </summary>
    public static Result Run(BlockStore store, string storeFolder, GenesisDocument genesis, IReplicatedApplication app, ClientTable clients,
        ReplyCache replies, int recentDecisions, SnapshotStore snapshots, Action<string> log,
        Func<Core.Views.View, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? vote = null)
    {
        var unreleased = new List<(Block, ReplyMessage?[])>();
        var clock = Stopwatch.StartNew();
        var replayer = new ChainReplayer(genesis, app)
        {
            // A snapshot file lost (or never written: the replica stopped first) is written again from the replay.
            SnapshotTaken = (number, bytes) =>
            {
                if (!snapshots.Has(number))
                {
                    snapshots.Write(number, bytes);
                }
            },
        };
        var uncertified = new List<long>();
        var recent = new Queue<Decision>();
        BlockHeader head = store.Read(0).Header;
        long lastConsensusId = 0;
        long lastCertified = 0;
        long start = 0;
        if (StartFromSnapshot(store, snapshots, genesis, app, replayer, log) is { } checkpoint)
        {
            head = checkpoint.Header;
            lastConsensusId = checkpoint.Body.ConsensusId;
            lastCertified = checkpoint.Header.Number;
            start = checkpoint.Header.Number + 1;
            clients.Reset(replayer.Clients.Entries);
        }

        for (long n = start; n <= store.Height; n++)
        {
            Block block = store.Read(n);
            Core.Views.View view = replayer.View; // the view that certifies this block
            bool certified = n == 0 || block.Certificate is not null;
            ReplayChecks checks = certified ? ReplayChecks.None : ReplayChecks.ClientSignatures | ReplayChecks.AllowUncertified;
            if (replayer.Apply(block, checks, out IReadOnlyList<SignedRequest> requests, out bool[] fresh) is { } failure)
            {
                throw new LedgerCorruptException(storeFolder, n, failure);
            }

            head = block.Header;
            if (n == 0 || CheckpointBlock.IsCheckpoint(n, genesis.CheckpointPeriod))
            {
                if (n > 0 && certified)
                {
                    lastCertified = n;
                }
                else if (n > 0)
                {
                    uncertified.Add(n); // checked by the replay, which took the snapshot and compared
                }

                continue;
            }

            (int regency, DecisionProof proof) = DecodeProof(block, storeFolder);
            Hash256 batchHash = BatchHash.Compute(requests);
            if (!certified && proof.Verify(view, genesis.ChainId, block.Body.ConsensusId, regency, batchHash) is { } bad)
            {
                throw new LedgerCorruptException(storeFolder, n, $"uncertified block with an invalid decision proof: {bad}");
            }

            if (!certified)
            {
                uncertified.Add(n);
            }
            else
            {
                lastCertified = n;
            }

            clients.Record(requests, block.Body.ConsensusId);
            lastConsensusId = block.Body.ConsensusId;
            var blockReplies = new ReplyMessage?[requests.Count];
            for (int j = 0; j < requests.Count; j++)
            {
                if (fresh[j])
                {
                    // A JOIN's reply must carry the vote again: a joiner whose votes were lost asks again, and counts only voted answers.
                    ReadOnlyMemory<byte> attestation = vote is not null && requests[j].Operation.Span is [SystemOperation.Tag, ..]
                        ? vote(view, block.Body.Results[j]) : default;
                    // The view the executor's reply named (the one in force after the block): a client of an older
                    // view learns from it that it must follow the view change before it can check the receipt.
                    blockReplies[j] = new ReplyMessage(requests[j].Digest, ReplyStatus.Executed, lastConsensusId, block.Body.Results[j])
                    {
                        Block = n,
                        ViewId = replayer.View.Id,
                        Attestation = attestation,
                    };
                }
            }

            if (!certified && genesis.Persistence == PersistenceMode.Strong)
            {
                unreleased.Add((block, blockReplies));
            }
            else
            {
                foreach (ReplyMessage? reply in blockReplies)
                {
                    if (reply is not null)
                    {
                        replies.Add(reply);
                    }
                }
            }

            recent.Enqueue(new Decision(lastConsensusId, regency, requests, batchHash, proof, fresh) { ViewId = view.Id });
            if (recent.Count > recentDecisions)
            {
                recent.Dequeue();
            }
        }

        return new Result(head, lastConsensusId, uncertified, [.. recent], replayer.Transactions, clock.Elapsed)
        {
            LastCertified = lastCertified,
            Unreleased = unreleased,
            FromCheckpoint = start > 0 ? start - 1 : null,
            PendingSnapshot = replayer.PendingSnapshot ?? throw new InvalidOperationException("the replay took no snapshot, not even of genesis"),
            Machine = replayer.Machine,
        };
    }

    // The newest snapshot whose hash a certified checkpoint block of this ledger records (checkpoint block s + P records
    // the state after block s); null: replay from genesis.
    private static Block? StartFromSnapshot(BlockStore store, SnapshotStore snapshots, GenesisDocument genesis, IReplicatedApplication app, ChainReplayer replayer,
        Action<string> log)
    {
        foreach (long number in snapshots.Available())
        {
            if (number + genesis.CheckpointPeriod > store.Height)
            {
                continue; // the newest snapshot: the checkpoint block that records it comes one period later
            }

            string? problem = VerifiedSnapshot.TryLoad(store, snapshots, genesis, number, out ReplicaSnapshot? snapshot, out CheckpointRecord? record);
            if (problem is null)
            {
                try
                {
                    app.RestoreSnapshot(snapshot!.Application.Span);
                    Block at = store.Read(number);
                    problem = replayer.StartAt(at, snapshot, record!.SnapshotHash, record.SnapshotSize);
                    if (problem is null)
                    {
                        log($"recovering from the snapshot of the state after block {number} ({record.SnapshotSize:N0} bytes, recorded by checkpoint block {number + genesis.CheckpointPeriod}); replaying blocks {number + 1}..{store.Height}");
                        return at;
                    }
                }
                catch (Core.Encoding.EncodingException e)
                {
                    problem = e.Message;
                }
            }

            log($"not using the snapshot of block {number}: {problem}; trying an older one");
        }

        return null;
    }

    private static (int, DecisionProof) DecodeProof(Block block, string storeFolder)
    {
        try
        {
            return DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span);
        }
        catch (Core.Encoding.EncodingException e)
        {
            throw new LedgerCorruptException(storeFolder, block.Header.Number, $"the decision proof does not decode: {e.Message}");
        }
    }
}
