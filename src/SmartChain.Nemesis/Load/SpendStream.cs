using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Load;

/// <summary>
/// One wallet's SPEND chain: it spends the (up to two) coins it holds into a payment to another wallet and two change
/// coins, which the next SPEND consumes. Now and then it sends two conflicting SPENDs of the same coins at once (a
/// double-spend attempt). A SPEND rejected in a block means the wallet lost track of its coins: it asks the network
/// which it holds.
/// </summary>
internal sealed class SpendStream(NemesisLoad load, int index, ChainClient client, (Hash256 Id, ulong Value)[] coins, SplitMix64 random)
{
    private const int ConflictProcessOffset = 1000;
    private (Hash256 Id, ulong Value)[] _held = coins;
    private ulong _sequence;

    public async Task RunAsync(CancellationToken stop)
    {
        string chain = load.Options.Genesis.ChainId;
        while (!stop.IsCancellationRequested)
        {
            if (_held.Length == 0 && !await ResyncAsync(stop))
            {
                continue;
            }

            bool conflict = random.NextBelow(10_000) < (ulong)(load.Options.DoubleSpendShare * 10_000);
            SignedRequest first = Spend(chain);
            if (!conflict)
            {
                Submission outcome = await load.UntilDefinitiveAsync(client, index, OperationKind.Spend, first, stop);
                Advance(outcome, first);
                continue;
            }

            SignedRequest second = Spend(chain);
            Task<Submission> a = load.UntilDefinitiveAsync(client, index, OperationKind.Spend, first, stop);
            Task<Submission> b = load.UntilDefinitiveAsync(client, index + ConflictProcessOffset, OperationKind.Spend, second, stop);
            Submission[] both = await Task.WhenAll(a, b);
            if (both[0].Ok)
            {
                Advance(both[0], first);
            }
            else
            {
                Advance(both[1], second);
            }
        }
    }

    private SignedRequest Spend(string chain)
    {
        ulong total = 0;
        foreach ((_, ulong value) in _held)
        {
            total += value;
        }

        ulong pay = Math.Min(total, 1 + random.NextBelow(100));
        ulong change = total - pay;
        int payee = (index + 1 + (int)random.NextBelow((ulong)Math.Max(1, load.Wallets - 1))) % load.Wallets;
        Ed25519PublicKey self = load.Wallet(index);
        CoinOutput[] outputs = change >= 2
            ? [new CoinOutput(load.Wallet(payee), pay), new CoinOutput(self, change / 2), new CoinOutput(self, change - (change / 2))]
            : [new CoinOutput(load.Wallet(payee), total)];
        byte[] operation = CoinOperation.Spend([.. _held.Select(c => c.Id)], outputs).Encode();
        return SignedRequest.Create(chain, load.WalletKey(index), ++_sequence, client.KnownInstance, operation);
    }

    private void Advance(Submission outcome, SignedRequest request)
    {
        if (outcome.Ok)
        {
            CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
            _held = [.. Enumerable.Range(1, op!.Outputs.Count - 1).Select(i => (CoinIds.Derive(request.Digest, i), op.Outputs[i].Value))];
        }
        else if (outcome.RejectedInBlock)
        {
            _held = []; // the wallet's picture is wrong: ask the network
        }

        // Refused before ordering: the coins are still ours, the next SPEND takes a new sequence. Unknown at the end of
        // the run: nothing more to do.
    }

    private async Task<bool> ResyncAsync(CancellationToken stop)
    {
        try
        {
            IReadOnlyList<(Hash256 Id, ulong Value)> all = await CoinQuery.ListAsync(
                async (query, ct) => (await client.QueryAsync(query, ct)).Body, load.Wallet(index), stop);
            _held = [.. all.OrderByDescending(c => c.Value).Take(2)];
            if (_held.Length > 0)
            {
                return true;
            }
        }
        catch (Exception e) when (e is ChainClientException or Core.Encoding.EncodingException)
        {
            // Asked during a fault: try again shortly.
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            await Task.Delay(500, stop);
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }
}
