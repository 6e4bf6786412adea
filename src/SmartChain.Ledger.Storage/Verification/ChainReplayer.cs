using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Reconfiguration;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Ledger.Verification;

/// <summary>
/// Applies blocks in order to an application and the platform's reconfiguration state, checking each on the way (SPEC
/// §4.3): number and link, both Merkle roots, the certificate against the view in force (views followed through
/// reconfiguration blocks: a block of view v must be certified by view-v keys of view-v members), the entries' client
/// signatures, and that re-execution reproduces every recorded result, the new views included. A request that is not
/// fresh (its sequence its client already had decided, or its not-before outside the window of its instance: the
/// replicated <see cref="ClientTable"/>, expiry included) stays in the block (the decision covers it) with an empty
/// result and is not executed again. Consensus instances follow each other, and every
/// <c>lastCheckpoint</c> names the latest checkpoint block; at a checkpoint block the replayer takes the snapshot
/// itself and checks its hash and size against the record (SPEC §4.4). It can also start from a verified snapshot
/// instead of genesis (<see cref="StartAt"/>). Used by <c>ledger verify</c>, by a restarting replica and by state transfer.
/// </summary>
public sealed class ChainReplayer
{
    private readonly GenesisDocument _genesis;
    private readonly ReplicatedStateMachine _machine;
    private readonly ClientTable _clients;
    private Hash256 _previous;
    private long _lastCheckpoint;
    private long _lastConsensusId;
    private long _lastReconfig;
    private View _view;

    /// <summary>Replays onto <paramref name="app"/>, which must hold the genesis state.</summary>
    public ChainReplayer(GenesisDocument genesis, IReplicatedApplication app)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(app);
        _genesis = genesis;
        _machine = new ReplicatedStateMachine(genesis.ChainId, app, ReconfigurationState.FromGenesis(genesis));
        _view = genesis.InitialView;
        _clients = new ClientTable(genesis.Consensus.RequestWindow);
    }

    /// <summary>What the replay executes onto: the application and the reconfiguration state.</summary>
    public ReplicatedStateMachine Machine => _machine;

    /// <summary>The view in force for the next block (the genesis view, or the last one a reconfiguration block installed).</summary>
    public View View => _view;

    /// <summary>The last reconfiguration block passed (0: none, the genesis view).</summary>
    public long LastReconfig => _lastReconfig;

    /// <summary>Number of the last block applied, -1 before genesis.</summary>
    public long Height { get; private set; } = -1;

    /// <summary>Hash of the last block applied.</summary>
    public Hash256 Head => _previous;

    /// <summary>Transactions applied (entries of blocks after genesis).</summary>
    public long Transactions { get; private set; }

    /// <summary>Consensus instance of the last block applied.</summary>
    public long LastConsensusId => _lastConsensusId;

    /// <summary>The replicated replay-protection table as of the last block applied.</summary>
    public ClientTable Clients => _clients;

    /// <summary>
    /// Hears the number of each checkpoint block passed and the snapshot of the state there (the one the next checkpoint
    /// block will record), so a replica can write a snapshot file it lost.
    /// </summary>
    public Action<long, byte[]>? SnapshotTaken { get; set; }

    /// <summary>The snapshot the next checkpoint block must record: the state at the last checkpoint block (or genesis).</summary>
    public (long Block, Hash256 Hash, long Size)? PendingSnapshot => _pending;

    private (long Block, Hash256 Hash, long Size)? _pending;

    /// <summary>
    /// Continues from block <paramref name="at"/> (a checkpoint block, or genesis) with the state of
    /// <paramref name="snapshot"/>, which the caller has restored into the application and checked against the record of
    /// a certified checkpoint block (<paramref name="hash"/>, <paramref name="size"/>). If blocks were linked before
    /// (<see cref="Link"/>), <paramref name="at"/> must be the next one.
    /// </summary>
    public string? StartAt(Block at, ReplicaSnapshot snapshot, Hash256 hash, long size)
    {
        ArgumentNullException.ThrowIfNull(at);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Height >= 0 && (at.Header.Number != Height + 1 || at.Header.HashLastBlock != _previous))
        {
            return $"block {at.Header.Number} does not follow block {Height}";
        }

        if (snapshot.Block != at.Header.Number || snapshot.ConsensusId != at.Body.ConsensusId)
        {
            return $"the snapshot holds the state after block {snapshot.Block} (instance {snapshot.ConsensusId}), not after block {at.Header.Number} (instance {at.Body.ConsensusId})";
        }

        ReconfigurationState reconfiguration;
        try
        {
            reconfiguration = ReconfigurationState.Decode(snapshot.Reconfiguration.Span, _genesis);
        }
        catch (Core.Encoding.EncodingException e)
        {
            return $"the snapshot's reconfiguration state does not decode: {e.Message}";
        }

        if (reconfiguration.LastReconfigBlock != at.Header.LastReconfig)
        {
            return $"the snapshot's view was installed by block {reconfiguration.LastReconfigBlock}; block {at.Header.Number} names block {at.Header.LastReconfig}";
        }

        _clients.Reset(snapshot.Clients);

        _machine.Reconfiguration = reconfiguration;
        _view = reconfiguration.View;
        _lastReconfig = reconfiguration.LastReconfigBlock;
        _lastCheckpoint = at.Header.Number;
        _lastConsensusId = snapshot.ConsensusId;
        _pending = (at.Header.Number, hash, size);
        Advance(at, 0);
        return null;
    }

    /// <summary>
    /// Checks the next block's number, link, roots and checkpoint pointer without executing it: the blocks before a
    /// checkpoint whose snapshot will supply the state.
    /// </summary>
    public string? Link(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Header.Number != Height + 1)
        {
            return $"found block {block.Header.Number} where block {Height + 1} belongs";
        }

        if (Height < 0)
        {
            return block.Hash != Block.Genesis(_genesis).Hash ? "block 0 is not the genesis block of this genesis.json" : Genesis(block);
        }

        if ((Structure(block, ReplayChecks.AllowUncertified) ?? Sequence(block)) is { } bad)
        {
            return bad;
        }

        if (CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod))
        {
            if (CheckpointBlock.Check(block, _genesis.CheckpointPeriod, out _) is { } malformed)
            {
                return malformed;
            }

            _lastCheckpoint = block.Header.Number;
        }
        else
        {
            _lastConsensusId = block.Body.ConsensusId;
        }

        if (ReconfigurationBlock.Installs(block.Header))
        {
            if (ReconfigurationBlock.ReadInstalledView(block, _view, out View? next, out _) is { } notAView)
            {
                return notAView;
            }

            _view = next!;
            _lastReconfig = block.Header.Number;
        }

        Advance(block, 0); // linked, not re-executed: not counted as verified transactions
        return null;
    }

    /// <summary>
    /// Checks and applies the next block. Returns null and the block's requests and fresh mask, or the reason it fails
    /// (the application state is then unspecified: stop replaying). <paramref name="checks"/> says what to verify.
    /// </summary>
    public string? Apply(Block block, ReplayChecks checks, out IReadOnlyList<SignedRequest> requests, out bool[] fresh)
    {
        ArgumentNullException.ThrowIfNull(block);
        requests = [];
        fresh = [];
        if (block.Header.Number != Height + 1)
        {
            return $"found block {block.Header.Number} where block {Height + 1} belongs";
        }

        if (Height < 0)
        {
            return block.Hash != Block.Genesis(_genesis).Hash ? "block 0 is not the genesis block of this genesis.json" : Genesis(block);
        }

        if ((Structure(block, checks) ?? Sequence(block)) is { } bad)
        {
            return bad;
        }

        if (CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod))
        {
            return Checkpoint(block);
        }

        var decoded = new SignedRequest[block.Body.Entries.Count];
        for (int j = 0; j < decoded.Length; j++)
        {
            if (!SignedRequest.TryDecode(block.Body.Entries[j], out SignedRequest? request, out var error))
            {
                return $"entry {j} is not a client request: {error!.Message}";
            }

            if (checks.HasFlag(ReplayChecks.ClientSignatures) && !request!.Verify(_genesis.ChainId))
            {
                return $"entry {j} ({request.Digest}): the client's signature does not verify for chain {_genesis.ChainId}";
            }

            decoded[j] = request!;
        }

        if (Execute(block, decoded, out fresh, out View? installed) is { } wrong)
        {
            return wrong;
        }

        if (installed is not null != ReconfigurationBlock.Installs(block.Header))
        {
            return installed is not null
                ? $"executing the block installs {installed}, but its lastReconfig is {block.Header.LastReconfig}, not its own number"
                : $"lastReconfig names this block, but executing it installs no view";
        }

        if (installed is not null)
        {
            _view = installed;
            _lastReconfig = block.Header.Number;
        }

        requests = decoded;
        _lastConsensusId = block.Body.ConsensusId;
        Advance(block, decoded.Length);
        return null;
    }

    private string? Genesis(Block block)
    {
        TakeSnapshot(0);
        Advance(block, 0);
        return null;
    }

    // The state now is the state after block `number` (a checkpoint block changes nothing): the next checkpoint
    // block records it.
    private void TakeSnapshot(long number)
    {
        (byte[] snapshot, Hash256 hash) = ReplicaSnapshot.Take(number, _lastConsensusId, _clients.Entries, _machine.Reconfiguration.Encode(), _machine.Application.WriteSnapshot);
        _pending = (number, hash, snapshot.Length);
        if (number > 0)
        {
            SnapshotTaken?.Invoke(number, snapshot);
        }
    }

    // What the chain's rules fix for a block's place: its checkpoint and reconfiguration pointers and its consensus instance.
    private string? Sequence(Block block)
    {
        long reconfig = block.Header.LastReconfig;
        if (reconfig != _lastReconfig && (reconfig != block.Header.Number || CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod)))
        {
            return $"lastReconfig is {reconfig}; the latest reconfiguration block is {_lastReconfig}";
        }

        if (CheckpointBlock.IsCheckpoint(block.Header.Number, _genesis.CheckpointPeriod))
        {
            return block.Body.ConsensusId != _lastConsensusId
                ? $"checkpoint block with consensus instance {block.Body.ConsensusId}; it must repeat the previous block's instance {_lastConsensusId}"
                : null;
        }

        if (block.Header.LastCheckpoint != _lastCheckpoint)
        {
            return $"lastCheckpoint is {block.Header.LastCheckpoint}; the latest checkpoint block is {_lastCheckpoint}";
        }

        return block.Body.ConsensusId != _lastConsensusId + 1
            ? $"consensus instance {block.Body.ConsensusId} follows instance {_lastConsensusId}; each block holds the next instance"
            : null;
    }

    // The record must be the snapshot this replayer took at the previous checkpoint block (or genesis), as every
    // replica did; then the state here is snapshotted for the next checkpoint block.
    private string? Checkpoint(Block block)
    {
        if (CheckpointBlock.Check(block, _genesis.CheckpointPeriod, out CheckpointRecord? record) is { } malformed)
        {
            return malformed;
        }

        if (_pending is not { } taken || taken.Block != record!.SnapshotBlock)
        {
            return $"the record names the state after block {record!.SnapshotBlock}, which this replay did not pass";
        }

        if (taken.Hash != record.SnapshotHash || taken.Size != record.SnapshotSize)
        {
            return $"the state re-executed up to block {taken.Block} does not match the checkpoint: its snapshot hashes to {taken.Hash} ({taken.Size} bytes); the record says {record.SnapshotHash} ({record.SnapshotSize} bytes)";
        }

        _lastCheckpoint = block.Header.Number;
        TakeSnapshot(block.Header.Number);
        Advance(block, 0);
        return null;
    }

    private string? Structure(Block block, ReplayChecks checks)
    {
        if (block.Header.HashLastBlock != _previous)
        {
            return "hashLastBlock does not match the hash of the previous block";
        }

        if (block.Body.Entries.Count != block.Body.Results.Count)
        {
            return $"{block.Body.Entries.Count} entries but {block.Body.Results.Count} results";
        }

        if (BlockMerkle.Root(block.Body.Entries) != block.Header.HashTransactions)
        {
            return "hashTransactions does not match the entries";
        }

        if (BlockMerkle.Root(block.Body.Results) != block.Header.HashResults)
        {
            return "hashResults does not match the results";
        }

        if (block.Certificate is null)
        {
            return checks.HasFlag(ReplayChecks.AllowUncertified) ? null : "no certificate";
        }

        return checks.HasFlag(ReplayChecks.Certificates) && block.Certificate.Verify(_view, _genesis.ChainId, block.Hash) is { } bad
            ? $"certificate: {bad}"
            : null;
    }

    private string? Execute(Block block, SignedRequest[] requests, out bool[] fresh, out View? installed)
    {
        installed = null;
        fresh = _clients.Record(requests, block.Body.ConsensusId);
        var toRun = new List<SignedRequest>(requests.Length);
        for (int j = 0; j < requests.Length; j++)
        {
            if (fresh[j])
            {
                toRun.Add(requests[j]);
            }
            else if (!block.Body.Results[j].IsEmpty)
            {
                return $"entry {j} ({requests[j]}) is not fresh in instance {block.Body.ConsensusId} (sequence already decided, or not-before outside the window), yet has a result (it must not have been executed)";
            }
        }

        BatchOutcome outcome = _machine.Execute(new BatchContext(block.Header.Number, block.Body.ConsensusId), toRun);
        IReadOnlyList<byte[]> results = outcome.Results;
        installed = outcome.Installed;
        int next = 0;
        for (int j = 0; j < requests.Length; j++)
        {
            if (fresh[j] && !block.Body.Results[j].Span.SequenceEqual(results[next++]))
            {
                return $"result {j} ({requests[j].Digest}) is not what re-executing the entry produces";
            }
        }

        return null;
    }

    private void Advance(Block block, int transactions)
    {
        Height = block.Header.Number;
        _previous = block.Hash;
        Transactions += transactions;
    }
}
