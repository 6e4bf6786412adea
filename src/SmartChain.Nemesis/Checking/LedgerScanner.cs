using System.Buffers;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;

namespace SmartChain.Nemesis.Checking;

/// <summary>
/// Reads one ledger for the checker: replays it with the verifier's <see cref="ChainReplayer"/> (links, roots,
/// certificates, signatures, re-execution, checkpoints), and beside it recomputes the coins from nothing but the
/// entries and their recorded results — a second, independent bookkeeping that catches a double spend, a coin created
/// under the wrong id or value made from nothing, and compares its state hash with the replay's at every checkpoint
/// and at the end.
/// </summary>
public static class LedgerScanner
{
    /// <summary>Scans the ledger in <paramref name="dataDir"/> (opened read-only: safe beside a running replica).</summary>
    public static LedgerFacts Scan(string name, string dataDir, GenesisDocument genesis, int? replica = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var facts = new LedgerFacts { Name = name, Replica = replica };
        BlockStore store;
        try
        {
            store = BlockStore.OpenReadOnly(dataDir);
        }
        catch (Exception e) when (e is LedgerCorruptException or IOException or EncodingException)
        {
            facts.Failure = $"cannot be opened: {e.Message}";
            return facts;
        }

        using (store)
        {
            Scan(store, genesis, facts);
        }

        return facts;
    }

    private static void Scan(BlockStore store, GenesisDocument genesis, LedgerFacts facts)
    {
        var app = CoinApplication.ForGenesis(genesis);
        var replayer = new ChainReplayer(genesis, app);
        var coins = new Dictionary<Hash256, CoinOutput>();
        var checkpointStates = new Dictionary<long, Hash256>();
        replayer.SnapshotTaken = (block, snapshot) =>
            checkpointStates[block] = Hash256.Compute(ReplicaSnapshot.Parse(snapshot).Application.Span);
        long last = store.Height;
        for (long n = 0; n <= last; n++)
        {
            Block block;
            try
            {
                block = store.Read(n);
            }
            catch (Exception e) when (e is EncodingException or IOException or LedgerCorruptException)
            {
                facts.Failure = $"block {n} cannot be read: {e.Message}";
                return;
            }

            if (n > 0 && block.Certificate is null && last - n >= LedgerVerifier.UncertifiedTailBlocks)
            {
                facts.Failure = $"block {n}: no certificate, and {last - n} blocks follow it";
                return;
            }

            if (replayer.Apply(block, ReplayChecks.Full | ReplayChecks.AllowUncertified, out IReadOnlyList<SignedRequest> requests, out bool[] fresh) is { } failure)
            {
                facts.Failure = $"block {n}: {failure}";
                return;
            }

            facts.BlockHashes.Add(block.Hash);
            for (int j = 0; j < requests.Count; j++)
            {
                Record(facts, coins, n, requests[j], fresh[j], block.Body.Results[j]);
            }

            if (checkpointStates.Remove(n, out Hash256 recorded))
            {
                if (StateHash(genesis, coins) == recorded)
                {
                    facts.CheckpointsMatched++;
                }
                else
                {
                    facts.CoinViolations.Add($"block {n}: the coins recomputed from the ledger do not hash to the coin state the replay snapshotted for the checkpoint");
                }
            }
        }

        facts.FinalMembers = [.. replayer.View.Members.Select(m => m.Id)];
        facts.ReplayedStateHash = app.ComputeStateHash();
        facts.RecomputedStateHash = StateHash(genesis, coins);
        if (facts.ReplayedStateHash != facts.RecomputedStateHash)
        {
            facts.CoinViolations.Add($"at block {last}: the coins recomputed from the ledger hash to {facts.RecomputedStateHash}, the replayed SMaRtCoin state to {facts.ReplayedStateHash}");
        }

        foreach (CoinOutput coin in coins.Values)
        {
            facts.Balances[coin.Owner] = facts.Balances.GetValueOrDefault(coin.Owner) + coin.Value;
        }
    }

    private static void Record(LedgerFacts facts, Dictionary<Hash256, CoinOutput> coins, long block, SignedRequest request, bool fresh, ReadOnlyMemory<byte> result)
    {
        facts.Present.Add(request.Digest);
        if (!fresh || SystemOperation.IsSystem(request.Operation.Span))
        {
            return; // a repeat of a decided sequence executes nothing; system operations move no coins
        }

        bool ok = CoinResult.Decode(result.Span) is { Succeeded: true };
        ExecutedTransaction executed = ok
            ? Apply(facts, coins, block, request)
            : new ExecutedTransaction(block, false, [], []);
        if (!facts.Executed.TryGetValue(request.Digest, out List<ExecutedTransaction>? list))
        {
            facts.Executed[request.Digest] = list = [];
        }

        list.Add(executed);
    }

    // The checker's own bookkeeping of an Ok result: every input must be a live coin of the issuer (else it is spent
    // twice or never existed), values must balance, and the outputs take the ids derived from the transaction id.
    private static ExecutedTransaction Apply(LedgerFacts facts, Dictionary<Hash256, CoinOutput> coins, long block, SignedRequest request)
    {
        CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? operation, out _);
        if (operation is null)
        {
            facts.CoinViolations.Add($"block {block}: {request.Digest} has an Ok result but its operation does not decode");
            return new ExecutedTransaction(block, true, [], []);
        }

        UInt128 spent = 0;
        foreach (Hash256 input in operation.Inputs)
        {
            if (!coins.Remove(input, out CoinOutput coin))
            {
                facts.CoinViolations.Add($"double spend: block {block}: {request.Digest} spends coin {input}, which is already spent or never existed");
                continue;
            }

            if (coin.Owner != request.Client)
            {
                facts.CoinViolations.Add($"block {block}: {request.Digest} spends coin {input} of another owner");
            }

            spent += coin.Value;
        }

        UInt128 made = 0;
        var created = new Hash256[operation.Outputs.Count];
        for (int i = 0; i < created.Length; i++)
        {
            created[i] = CoinIds.Derive(request.Digest, i);
            coins[created[i]] = operation.Outputs[i];
            made += operation.Outputs[i].Value;
        }

        if (operation.Kind == CoinOperationKind.Spend && spent != made)
        {
            facts.CoinViolations.Add($"block {block}: {request.Digest} spends {spent} and creates {made}");
        }

        return new ExecutedTransaction(block, true, operation.Inputs, created);
    }

    private static Hash256 StateHash(GenesisDocument genesis, Dictionary<Hash256, CoinOutput> coins)
    {
        // The same canonical snapshot SMaRtCoin writes (tag, version, sorted minters, coins sorted by id), built from the
        // checker's own table.
        var buffer = new ArrayBufferWriter<byte>(16 + (coins.Count * (Hash256.Size + CoinOutput.EncodedSize)));
        var writer = new CanonicalWriter(buffer);
        writer.WriteUInt8(0x43);
        writer.WriteUInt8(1);
        Ed25519PublicKey[] minters = [.. genesis.Minters.Distinct()];
        Array.Sort(minters);
        writer.WriteCount(minters.Length, int.MaxValue);
        foreach (Ed25519PublicKey minter in minters)
        {
            minter.WriteTo(ref writer);
        }

        Hash256[] ids = [.. coins.Keys];
        Array.Sort(ids);
        writer.WriteCount(ids.Length, int.MaxValue);
        foreach (Hash256 id in ids)
        {
            id.WriteTo(ref writer);
            coins[id].Owner.WriteTo(ref writer);
            writer.WriteUInt64(coins[id].Value);
        }

        return Hash256.Compute(buffer.WrittenSpan);
    }
}
