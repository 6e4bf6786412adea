using System.CommandLine;
using SmartChain.Coin;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain receipt</c>: check a transaction receipt offline.</summary>
internal static class ReceiptCommands
{
    /// <summary>Beside a receipt, the proofs of the views after genesis (when the block's view is a later one).</summary>
    public const string ViewsSuffix = ".views";

    public static Command Create()
    {
        var receipt = new Command("receipt", "Transaction receipts (strong persistence): proof that a transaction is in a certified block with its result.");
        var file = new Argument<FileInfo>("FILE") { Description = "A receipt saved by 'coin mint' or 'coin spend'.", CustomParser = CliParsers.ExistingFile };
        var network = new Option<FileInfo>("--network") { Description = "The network's genesis.json (its view certifies blocks).", Required = true, CustomParser = CliParsers.ExistingFile };
        var verify = new Command("verify", "Check a receipt alone, offline: certificate, Merkle paths, client signature. Exit code 1 if it does not hold.") { file, network };
        CommandRunner.SetAction(verify, (parse, output) =>
        {
            GenesisDocument genesis = GenesisJson.Load(parse.GetRequiredValue(network).FullName);
            string path = parse.GetRequiredValue(file).FullName;
            TransactionReceipt r;
            try
            {
                r = TransactionReceipt.Decode(File.ReadAllBytes(path));
            }
            catch (EncodingException e)
            {
                throw new CliException($"{path} is not a receipt: {e.Message}");
            }

            var views = new Ledger.Reconfiguration.ViewHistory(genesis.InitialView);
            if (File.Exists(path + ViewsSuffix))
            {
                IReadOnlyList<TransactionReceipt> proofs;
                try
                {
                    proofs = Ledger.Reconfiguration.ViewQuery.DecodeAnswer(File.ReadAllBytes(path + ViewsSuffix));
                }
                catch (EncodingException e)
                {
                    throw new CliException($"{path}{ViewsSuffix} is not a list of view proofs: {e.Message}");
                }

                if (Ledger.Reconfiguration.ViewChain.Follow(genesis.InitialView, genesis.ChainId, proofs, out _,
                        (proof, next) => views.Add(proof.Header.Number, next)) is { } bad)
                {
                    throw new CliException($"{path}{ViewsSuffix}: {bad}");
                }
            }

            if (views.CertifyingView(r.Header, out string? unknown) is not { } view)
            {
                throw new CliException($"receipt does not hold: {unknown}; genesis alone cannot vouch for a later view, and no {path}{ViewsSuffix} beside the receipt proves it");
            }

            if (r.Verify(view, genesis.ChainId) is { } problem)
            {
                throw new CliException($"receipt does not hold: {problem}");
            }

            SignedRequest request = r.Request();
            output.WriteLine($"transaction  {request.Digest}");
            output.WriteLine($"client       {request.Client} seq {request.Sequence}");
            output.WriteLine($"block        {r.BlockNumber} ({r.Header.Hash()}), entry {r.Index}");
            output.WriteLine($"certified by replicas {string.Join(',', r.Certificate.Signatures.Select(s => s.ReplicaId))} of {view} of chain {genesis.ChainId}");
            output.WriteLine($"result       {Describe(r.Result)}");
            output.WriteLine("receipt verified");
            return CommandRunner.Success;
        });
        receipt.Add(verify);
        return receipt;
    }

    private static string Describe(ReadOnlyMemory<byte> result)
    {
        try
        {
            CoinResult r = CoinResult.Decode(result.Span);
            return r.Succeeded ? $"Ok, created {string.Join(", ", r.CreatedCoins)}" : r.Code.ToString();
        }
        catch (EncodingException e)
        {
            return $"{result.Length} bytes (not a SMaRtCoin result: {e.Message})";
        }
    }
}
