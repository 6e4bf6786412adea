using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin;

/// <summary>
/// SMaRtCoin (SPEC §8): a UTXO coin with MINT and SPEND, executed deterministically. The issuer of a transaction
/// is its request's client key and the transaction id is the request digest, so a transaction carries exactly
/// one signature. Not thread-safe except <see cref="CheckTx"/>: execution runs on one thread, in decided order.
/// </summary>
public sealed partial class CoinApplication : IReplicatedApplication
{
    private readonly string _chainId;
    private readonly CoinExecutionOptions _options;
    private CoinTable _coins = new(); // copy-on-write, so a checkpoint's capture is O(shards)
    private readonly CoinOwnerIndex _owners = new(); // what queries read, published after each batch
    private HashSet<Ed25519PublicKey> _minters;

    /// <summary>Creates the genesis state: no coins, the given minters; joins judged by <paramref name="joinPolicy"/> (default: endorsements).</summary>
    public CoinApplication(string chainId, IEnumerable<Ed25519PublicKey> minters, CoinExecutionOptions? options = null, CoinJoinPolicy? joinPolicy = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        ArgumentNullException.ThrowIfNull(minters);
        _chainId = chainId;
        _minters = [.. minters];
        _options = options ?? CoinExecutionOptions.Default;
        JoinPolicy = joinPolicy ?? CoinJoinPolicy.Default;
    }

    /// <summary>The genesis state of <paramref name="genesis"/>: its chain id, minters and join policy.</summary>
    public static CoinApplication ForGenesis(Core.Genesis.GenesisDocument genesis, CoinExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return new CoinApplication(genesis.ChainId, genesis.Minters, options, CoinJoinPolicy.FromGenesis(genesis));
    }

    /// <summary>Who may join the network (SPEC §5).</summary>
    public CoinJoinPolicy JoinPolicy { get; }

    /// <inheritdoc />
    public JoinVerdict EvaluateJoin(JoinCandidate candidate, Core.Views.View view) => JoinPolicy.Evaluate(_chainId, candidate, view);

    /// <summary>Unspent coins.</summary>
    public int CoinCount => _coins.Count;

    /// <summary>Sum of all unspent coins (can exceed 2^64 across coins).</summary>
    public UInt128 TotalValue
    {
        get
        {
            UInt128 total = 0;
            foreach (KeyValuePair<Hash256, CoinOutput> coin in _coins)
            {
                total += coin.Value.Value; // commutative, so dictionary order cannot matter
            }

            return total;
        }
    }

    /// <summary>Looks up an unspent coin.</summary>
    public bool TryGetCoin(Hash256 id, out CoinOutput coin) => _coins.TryGetValue(id, out coin);

    /// <summary>
    /// Answers a query from the state published after the last whole batch, on any thread, concurrently with
    /// execution (see <see cref="CoinOwnerIndex"/>); the work is O(log n + <see cref="CoinQuery.MaxPageCoins"/>)
    /// however many coins the owner holds.
    /// </summary>
    /// <exception cref="Core.Encoding.EncodingException">Not a canonical query.</exception>
    public byte[] Query(ReadOnlySpan<byte> query)
    {
        (byte kind, Ed25519PublicKey owner, Hash256? cursor) = CoinQuery.Decode(query);
        if (CoinQuery.IsBalance(kind))
        {
            (int count, UInt128 total) = _owners.Balance(owner);
            return CoinQuery.EncodeBalance(count, total);
        }

        (List<(Hash256 Id, ulong Value)> page, bool more) = _owners.Page(owner, cursor, CoinQuery.MaxPageCoins);
        return CoinQuery.EncodePage(page, more);
    }

    /// <summary>
    /// The door filter (see docs/coin.md, "The client table"): a SPEND whose issuer owns no coin in the published state
    /// could only fail, and ordering it would give a key that may be fresh a permanent entry in the replicated client
    /// table, so it is refused before ordering. Owning one coin is enough, so a client can pipeline SPENDs of its
    /// own pending outputs (it owns the inputs of the first until that one executes, and its change after).
    /// </summary>
    public string? Admit(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadOnlySpan<byte> operation = request.Operation.Span;
        if (operation.IsEmpty || operation[0] != (byte)CoinOperationKind.Spend || _owners.Owns(request.Client))
        {
            return null;
        }

        return $"{request.Client} owns no coin: its SPEND could only fail (send it once it has received a coin)";
    }

    /// <summary>True if <paramref name="key"/> may MINT.</summary>
    public bool IsMinter(Ed25519PublicKey key) => _minters.Contains(key);

    /// <inheritdoc />
    public TxCheck CheckTx(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The sequential baseline verifies inside execution instead; verifying here too would count the cost twice.
        if (!_options.VerifySignaturesInExecution && !request.Verify(_chainId))
        {
            return TxCheck.Refuse((byte)CoinResultCode.BadSignature, $"signature does not verify for chain {_chainId}");
        }

        Span<Hash256> inputs = stackalloc Hash256[CoinLimits.MaxInputs];
        Span<CoinOutput> outputs = stackalloc CoinOutput[CoinLimits.MaxOutputs];
        (CoinResultCode code, string? reason) = Validate(request, inputs, outputs, out _, out _, out _);
        return code == CoinResultCode.Ok ? TxCheck.Ok : TxCheck.Refuse((byte)code, reason ?? code.ToString());
    }

    /// <inheritdoc />
    public IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new byte[batch.Count][];
        Span<Hash256> created = stackalloc Hash256[CoinLimits.MaxOutputs];
        for (int i = 0; i < batch.Count; i++)
        {
            CoinResultCode code = ExecuteOne(batch[i], created, out int count);
            results[i] = CoinResult.Encode(code, created[..count]); // the same bytes as CoinResult.Encode, without the object
        }

        _owners.Publish();
        return results;
    }

    /// <summary>Executes one transaction; a rejection leaves the state unchanged.</summary>
    public CoinResult Execute(SignedRequest request)
    {
        Span<Hash256> created = stackalloc Hash256[CoinLimits.MaxOutputs];
        CoinResultCode code = ExecuteOne(request, created, out int count);
        _owners.Publish();
        return code == CoinResultCode.Ok ? CoinResult.Ok(created[..count].ToArray()) : CoinResult.Rejected(code);
    }

    // On success the ids of the coins created are in created[..count] (count is 0 otherwise).
    private CoinResultCode ExecuteOne(SignedRequest request, Span<Hash256> created, out int count)
    {
        ArgumentNullException.ThrowIfNull(request);
        count = 0;
        if (_options.VerifySignaturesInExecution && !request.Verify(_chainId))
        {
            return CoinResultCode.BadSignature;
        }

        Span<Hash256> inputs = stackalloc Hash256[CoinLimits.MaxInputs];
        Span<CoinOutput> outputs = stackalloc CoinOutput[CoinLimits.MaxOutputs];
        (CoinResultCode code, _) = Validate(request, inputs, outputs, out CoinOperationKind kind, out int inputCount, out int outputCount);
        if (code != CoinResultCode.Ok)
        {
            return code;
        }

        Span<Hash256> ids = created[..outputCount];
        code = kind == CoinOperationKind.Mint
            ? ExecuteMint(request, outputs[..outputCount], ids)
            : ExecuteSpend(request, inputs[..inputCount], outputs[..outputCount], ids);
        count = code == CoinResultCode.Ok ? outputCount : 0;
        return code;
    }

    private CoinResultCode ExecuteMint(SignedRequest request, ReadOnlySpan<CoinOutput> outputs, Span<Hash256> ids)
    {
        DeriveOutputIds(request.Digest, ids);
        if (AnyExists(ids))
        {
            return CoinResultCode.Replayed;
        }

        AddOutputs(ids, outputs);
        return CoinResultCode.Ok;
    }

    private CoinResultCode ExecuteSpend(SignedRequest request, ReadOnlySpan<Hash256> inputs, ReadOnlySpan<CoinOutput> outputs, Span<Hash256> ids)
    {
        ulong inputTotal = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!_coins.TryGetValue(inputs[i], out CoinOutput coin))
            {
                return CoinResultCode.UnknownCoin;
            }

            if (coin.Owner != request.Client)
            {
                return CoinResultCode.NotOwner;
            }

            if (!TryAdd(ref inputTotal, coin.Value))
            {
                return CoinResultCode.Overflow;
            }
        }

        if (inputTotal != SumOutputs(outputs))
        {
            return CoinResultCode.ValueMismatch;
        }

        DeriveOutputIds(request.Digest, ids);
        if (AnyExists(ids))
        {
            return CoinResultCode.Replayed;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            _coins.Remove(inputs[i], out CoinOutput spent);
            _owners.Remove(spent.Owner, inputs[i], spent.Value);
        }

        AddOutputs(ids, outputs);
        return CoinResultCode.Ok;
    }

    private static void DeriveOutputIds(Hash256 transactionId, Span<Hash256> ids)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = CoinIds.Derive(transactionId, i);
        }
    }

    private bool AnyExists(ReadOnlySpan<Hash256> ids)
    {
        foreach (Hash256 id in ids)
        {
            if (_coins.ContainsKey(id))
            {
                return true;
            }
        }

        return false;
    }

    private void AddOutputs(ReadOnlySpan<Hash256> ids, ReadOnlySpan<CoinOutput> outputs)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            _coins.Add(ids[i], outputs[i]);
            _owners.Add(outputs[i].Owner, ids[i], outputs[i].Value);
        }
    }
}
