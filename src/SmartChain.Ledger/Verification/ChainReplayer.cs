using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;

namespace SmartChain.Ledger.Verification;

/// <summary>
/// Applies blocks in order to an application, checking each on the way (SPEC §4.3): number and link, both Merkle
/// roots, the certificate against the view, the entries' client signatures, and that re-execution reproduces every
/// recorded result. A request whose sequence its client already had decided stays in the block (the decision covers
/// it) with an empty result and is not executed again. Used by <c>ledger verify</c> and by a restarting replica.
/// </summary>
public sealed class ChainReplayer
{
    private readonly GenesisDocument _genesis;
    private readonly IReplicatedApplication _app;
    private readonly Dictionary<Ed25519PublicKey, ulong> _highest = [];
    private Hash256 _previous;

    /// <summary>Replays onto <paramref name="app"/>, which must hold the genesis state.</summary>
    public ChainReplayer(GenesisDocument genesis, IReplicatedApplication app)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(app);
        _genesis = genesis;
        _app = app;
    }

    /// <summary>Number of the last block applied, -1 before genesis.</summary>
    public long Height { get; private set; } = -1;

    /// <summary>Hash of the last block applied.</summary>
    public Hash256 Head => _previous;

    /// <summary>Transactions applied (entries of blocks after genesis).</summary>
    public long Transactions { get; private set; }

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
            if (block.Hash != Block.Genesis(_genesis).Hash)
            {
                return "block 0 is not the genesis block of this genesis.json";
            }

            Advance(block, 0);
            return null;
        }

        if (Structure(block, checks) is { } bad)
        {
            return bad;
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

        if (Execute(block, decoded, out fresh) is { } wrong)
        {
            return wrong;
        }

        requests = decoded;
        Advance(block, decoded.Length);
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

        return checks.HasFlag(ReplayChecks.Certificates) && block.Certificate.Verify(_genesis.InitialView, _genesis.ChainId, block.Hash) is { } bad
            ? $"certificate: {bad}"
            : null;
    }

    private string? Execute(Block block, SignedRequest[] requests, out bool[] fresh)
    {
        fresh = new bool[requests.Length];
        var toRun = new List<SignedRequest>(requests.Length);
        var lastInBlock = new Dictionary<Ed25519PublicKey, ulong>();
        for (int j = 0; j < requests.Length; j++)
        {
            SignedRequest r = requests[j];
            ulong highest = Math.Max(_highest.GetValueOrDefault(r.Client), lastInBlock.GetValueOrDefault(r.Client));
            fresh[j] = r.Sequence > highest;
            if (fresh[j])
            {
                lastInBlock[r.Client] = r.Sequence;
                toRun.Add(r);
            }
            else if (!block.Body.Results[j].IsEmpty)
            {
                return $"entry {j} repeats sequence {r.Sequence} of its client, yet has a result (it must not have been executed)";
            }
        }

        IReadOnlyList<byte[]> results = _app.ExecuteBatch(new BatchContext(block.Header.Number, block.Body.ConsensusId), toRun);
        int next = 0;
        for (int j = 0; j < requests.Length; j++)
        {
            if (fresh[j] && !block.Body.Results[j].Span.SequenceEqual(results[next++]))
            {
                return $"result {j} ({requests[j].Digest}) is not what re-executing the entry produces";
            }
        }

        foreach ((Ed25519PublicKey client, ulong sequence) in lastInBlock)
        {
            _highest[client] = sequence;
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
