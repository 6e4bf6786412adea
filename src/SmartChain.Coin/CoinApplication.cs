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
    private Dictionary<Hash256, CoinOutput> _coins = [];
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
            foreach (CoinOutput coin in _coins.Values)
            {
                total += coin.Value; // commutative, so dictionary order cannot matter
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

        (CoinResultCode code, string? reason) = Validate(request, out _);
        return code == CoinResultCode.Ok ? TxCheck.Ok : TxCheck.Refuse((byte)code, reason ?? code.ToString());
    }

    /// <inheritdoc />
    public IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new byte[batch.Count][];
        for (int i = 0; i < batch.Count; i++)
        {
            results[i] = ExecuteOne(batch[i]).Encode();
        }

        _owners.Publish();
        return results;
    }

    /// <summary>Executes one transaction; a rejection leaves the state unchanged.</summary>
    public CoinResult Execute(SignedRequest request)
    {
        CoinResult result = ExecuteOne(request);
        _owners.Publish();
        return result;
    }

    private CoinResult ExecuteOne(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_options.VerifySignaturesInExecution && !request.Verify(_chainId))
        {
            return CoinResult.Rejected(CoinResultCode.BadSignature);
        }

        (CoinResultCode code, _) = Validate(request, out CoinOperation? operation);
        if (code != CoinResultCode.Ok)
        {
            return CoinResult.Rejected(code);
        }

        return operation!.Kind == CoinOperationKind.Mint ? ExecuteMint(request, operation) : ExecuteSpend(request, operation);
    }

    private CoinResult ExecuteMint(SignedRequest request, CoinOperation mint)
    {
        Hash256[] ids = DeriveOutputIds(request.Digest, mint.Outputs.Count);
        if (AnyExists(ids))
        {
            return CoinResult.Rejected(CoinResultCode.Replayed);
        }

        AddOutputs(ids, mint.Outputs);
        return CoinResult.Ok(ids);
    }

    private CoinResult ExecuteSpend(SignedRequest request, CoinOperation spend)
    {
        ulong inputTotal = 0;
        IReadOnlyList<Hash256> inputs = spend.Inputs; // indexed below: foreach over the interface allocates an enumerator
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!_coins.TryGetValue(inputs[i], out CoinOutput coin))
            {
                return CoinResult.Rejected(CoinResultCode.UnknownCoin);
            }

            if (coin.Owner != request.Client)
            {
                return CoinResult.Rejected(CoinResultCode.NotOwner);
            }

            if (!TryAdd(ref inputTotal, coin.Value))
            {
                return CoinResult.Rejected(CoinResultCode.Overflow);
            }
        }

        if (inputTotal != SumOutputs(spend.Outputs))
        {
            return CoinResult.Rejected(CoinResultCode.ValueMismatch);
        }

        Hash256[] ids = DeriveOutputIds(request.Digest, spend.Outputs.Count);
        if (AnyExists(ids))
        {
            return CoinResult.Rejected(CoinResultCode.Replayed);
        }

        for (int i = 0; i < inputs.Count; i++)
        {
            _coins.Remove(inputs[i], out CoinOutput spent);
            _owners.Remove(spent.Owner, inputs[i], spent.Value);
        }

        AddOutputs(ids, spend.Outputs);
        return CoinResult.Ok(ids);
    }

    private static Hash256[] DeriveOutputIds(Hash256 transactionId, int count)
    {
        var ids = new Hash256[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = CoinIds.Derive(transactionId, i);
        }

        return ids;
    }

    private bool AnyExists(Hash256[] ids)
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

    private void AddOutputs(Hash256[] ids, IReadOnlyList<CoinOutput> outputs)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            _coins.Add(ids[i], outputs[i]);
            _owners.Add(outputs[i].Owner, ids[i], outputs[i].Value);
        }
    }
}
