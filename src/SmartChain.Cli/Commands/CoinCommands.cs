using System.CommandLine;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain coin</c>: a SMaRtCoin wallet against a running network.</summary>
internal static class CoinCommands
{
    private static readonly Option<FileInfo> Network = new("--network") { Description = "The network's genesis.json.", Required = true, CustomParser = CliParsers.ExistingFile };
    private static readonly Option<FileInfo> WalletFile = new("--wallet") { Description = "Your key file (from 'keys new', or DIR/wallets/ for a minter).", Required = true, CustomParser = CliParsers.ExistingFile };
    private static readonly Option<string?> Peers = new("--peers")
    {
        Description = "Client endpoints (host:port,...) of current members, if the network's genesis members may have left; their answer is verified from genesis.",
        CustomParser = CliParsers.EndpointList,
    };

    private static readonly Option<FileInfo?> ReceiptFile = new("--receipt")
    {
        Description = "Where to save the transaction's receipt (strong persistence). Default: receipts/<transaction id>.receipt beside the wallet.",
    };

    public static Command Create()
    {
        var coin = new Command("coin", "SMaRtCoin wallet: mint, spend, balance and coins, against a running network.");
        coin.Add(CreateMint());
        coin.Add(CreateSpend());
        coin.Add(CreateBalance());
        coin.Add(CreateCoins());
        foreach (Command command in coin.Subcommands)
        {
            command.Add(Peers);
        }

        return coin;
    }

    private static Command CreateMint()
    {
        var amount = new Option<ulong>("--amount") { Description = "Value of the coin to create (1 or more).", Required = true, CustomParser = CliParsers.Whole(1UL, ulong.MaxValue) };
        var to = new Option<string?>("--to") { Description = "Owner: a 64-hex public key or a key file (default: your wallet).", CustomParser = CliParsers.PublicKeyOrKeyFile };
        var command = new Command("mint", "Create a coin (your key must be a minter in genesis).") { Network, WalletFile, amount, to, ReceiptFile };
        SetAction(command, async (session, parse, output, ct) =>
        {
            Ed25519PublicKey owner = parse.GetValue(to) is { } recipient ? ParseRecipient(recipient) : session.Wallet.Address;
            await session.RefreshInstanceAsync(ct);
            SignedRequest request = session.Wallet.Mint([new CoinOutput(owner, parse.GetValue(amount))]);
            CoinResult result = await session.SubmitAsync(request, "MINT", ct);
            output.WriteLine($"minted {parse.GetValue(amount)} to {owner}: coin {result.CreatedCoins[0]} (block {session.LastReply!.Block})");
            SaveReceipt(session, parse, output, request);
        });
        return command;
    }

    private static Command CreateSpend()
    {
        var amount = new Option<ulong>("--amount") { Description = "Value to pay (1 or more).", Required = true, CustomParser = CliParsers.Whole(1UL, ulong.MaxValue) };
        var to = new Option<string>("--to") { Description = "Payee: a 64-hex public key or a key file.", Required = true, CustomParser = CliParsers.PublicKeyOrKeyFile };
        var command = new Command("spend", "Pay an amount; coins are chosen automatically and the change comes back to you.")
        {
            Network, WalletFile, to, amount, ReceiptFile,
        };
        SetAction(command, async (session, parse, output, ct) =>
        {
            Ed25519PublicKey payee = ParseRecipient(parse.GetRequiredValue(to));
            await session.LoadCoinsAsync(ct);
            await session.RefreshInstanceAsync(ct);
            SignedRequest request = session.Wallet.Pay(payee, parse.GetValue(amount));
            await session.SubmitAsync(request, "SPEND", ct);
            output.WriteLine($"paid {parse.GetValue(amount)} to {payee} in block {session.LastReply!.Block} (transaction {request.Digest})");
            SaveReceipt(session, parse, output, request);
            output.WriteLine($"your balance: {(await session.BalanceAsync(ct)).Total}");
        });
        return command;
    }

    private static Command CreateBalance()
    {
        var command = new Command("balance", "Print your unspent coins' total; the balance is the last line.") { Network, WalletFile };
        SetAction(command, async (session, _, output, ct) =>
        {
            // One bounded answer from one state, however many coins: no need to list them.
            (int coins, UInt128 total) = await session.BalanceAsync(ct);
            output.WriteLine($"{session.Wallet.Address}: {coins} coin(s)");
            output.WriteLine(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        return command;
    }

    private static Command CreateCoins()
    {
        var command = new Command("coins", "List your unspent coins (id and value).") { Network, WalletFile };
        SetAction(command, async (session, _, output, ct) =>
        {
            await session.LoadCoinsAsync(ct);
            foreach (OwnedCoin coin in session.Wallet.Coins)
            {
                output.WriteLine($"{coin.Id}  {coin.Value}");
            }

            output.WriteLine($"{session.Wallet.Coins.Count} coin(s), total {session.Wallet.Balance}");
        });
        return command;
    }

    // One reply with a receipt was enough for the client; keep the receipt so anyone can check the payment offline.
    private static void SaveReceipt(WalletSession session, ParseResult parse, TextWriter output, SignedRequest request)
    {
        ReplyMessage reply = session.LastReply!;
        if (reply.Receipt.IsEmpty)
        {
            output.WriteLine(reply.Status == ReplyStatus.Duplicate
                ? "no receipt: the network had already executed this transaction (accepted on Q matching replies)"
                : "no receipt: weak persistence (accepted on Q matching replies)");
            return;
        }

        string path = parse.GetValue(ReceiptFile)?.FullName
            ?? Path.Combine(Path.GetDirectoryName(parse.GetRequiredValue(WalletFile).FullName)!, "receipts", $"{request.Digest}.receipt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, reply.Receipt.ToArray());
        if (session.ViewProofs.Count > 0)
        {
            // The block may be certified by a later view than genesis': its proofs travel with the receipt.
            File.WriteAllBytes(path + ReceiptCommands.ViewsSuffix, Ledger.Reconfiguration.ViewQuery.EncodeAnswer([.. session.ViewProofs.Select(p => p.Encode())]));
        }

        output.WriteLine($"receipt saved to {path} (check it with: smartchain receipt verify {path} --network {parse.GetRequiredValue(Network).FullName})");
    }

    private static Ed25519PublicKey ParseRecipient(string value)
    {
        if (Ed25519PublicKey.TryParse(value, out Ed25519PublicKey key))
        {
            return key;
        }

        if (File.Exists(value))
        {
            using Ed25519KeyPair pair = KeyFile.Load(value);
            return pair.PublicKey;
        }

        throw new CliException($"--to \"{value}\" is neither a 64-hex public key nor a key file");
    }

    private static void SetAction(Command command, Func<WalletSession, ParseResult, TextWriter, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                GenesisDocument genesis = GenesisJson.Load(parse.GetRequiredValue(Network).FullName);
                using Ed25519KeyPair key = KeyFile.Load(parse.GetRequiredValue(WalletFile).FullName);
                var options = new ClientOptions { Peers = [.. (parse.GetValue(Peers) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] };
                await using ChainClient client = await ChainClient.ConnectAsync(genesis, key, options, cancellationToken);
                var session = new WalletSession(genesis, key, client);
                await body(session, parse, parse.InvocationConfiguration.Output, cancellationToken);
                return CommandRunner.Success;
            }
            catch (Exception e) when (e is CliException or KeyFileException or GenesisException or ChainClientException or InsufficientFundsException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
    }

    /// <summary>A wallet connected to the network for one command.</summary>
    private sealed class WalletSession(GenesisDocument genesis, Ed25519KeyPair key, ChainClient client)
    {
        // Separate invocations share the key: a time-based first sequence keeps each one above the last.
        public CoinWallet Wallet { get; private set; } = NewWallet(genesis, key);

        public ReplyMessage? LastReply { get; private set; }

        public IReadOnlyList<Ledger.TransactionReceipt> ViewProofs => client.ViewProofs;

        // Follows the cursor page after page, so a holder of many coins sees all of them.
        public async Task LoadCoinsAsync(CancellationToken ct)
        {
            IReadOnlyList<(Hash256 Id, ulong Value)> coins = await Decoded(CoinQuery.ListAsync(AskAsync, key.PublicKey, ct));
            Wallet = NewWallet(genesis, key);
            foreach ((Hash256 id, ulong value) in coins)
            {
                Wallet.AddCoin(id, value);
            }
        }

        // A request names an instance the network decided (its not-before): asked for just before signing.
        public async Task RefreshInstanceAsync(CancellationToken ct) => Wallet.NotBefore = await client.CurrentInstanceAsync(ct);

        public async Task<(int Coins, UInt128 Total)> BalanceAsync(CancellationToken ct) =>
            DecodeBalance(await AskAsync(CoinQuery.BalanceOf(key.PublicKey), ct));

        private static (int Coins, UInt128 Total) DecodeBalance(ReadOnlyMemory<byte> body)
        {
            try
            {
                return CoinQuery.DecodeBalance(body.Span);
            }
            catch (Core.Encoding.EncodingException e)
            {
                throw new CliException($"the replicas' answer does not decode: {e.Message}");
            }
        }

        private static async Task<T> Decoded<T>(Task<T> decoding)
        {
            try
            {
                return await decoding;
            }
            catch (Core.Encoding.EncodingException e)
            {
                throw new CliException($"the replicas' answer does not decode: {e.Message}");
            }
        }

        private async Task<ReadOnlyMemory<byte>> AskAsync(byte[] query, CancellationToken ct) => (await client.QueryAsync(query, ct)).Body;

        public async Task<CoinResult> SubmitAsync(SignedRequest request, string what, CancellationToken ct)
        {
            ReplyMessage reply = await client.SubmitAsync(request, ct);
            LastReply = reply;
            string detail = System.Text.Encoding.UTF8.GetString(reply.Result.Span);
            return reply.Status switch
            {
                ReplyStatus.Rejected => throw new CliException($"the network refused the {what}: {detail}"),
                ReplyStatus.Stale => throw new CliException($"the {what} was overtaken by a later request of this wallet; run the command again"),
                _ => Checked(CoinResult.Decode(reply.Result.Span), reply.Block, what),
            };
        }

        private static CoinWallet NewWallet(GenesisDocument genesis, Ed25519KeyPair key) =>
            new(genesis.ChainId, key, (ulong)DateTime.UtcNow.Ticks);

        private static CoinResult Checked(CoinResult result, long block, string what) =>
            result.Succeeded ? result : throw new CliException($"the {what} was ordered into block {block} but rejected: {result.Code}");
    }
}
