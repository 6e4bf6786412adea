using System.CommandLine;
using SmartChain.Coin;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain ledger show</c>: blocks in readable form.</summary>
internal static class LedgerShow
{
    private const int SummaryBlocks = 10;

    public static Command Create(Option<DirectoryInfo> home)
    {
        var block = new Option<long?>("--block")
        {
            Description = "Show this block in full: header, certificate, every entry and its result.",
            CustomParser = CliParsers.OptionalWhole(0L, long.MaxValue),
        };
        var command = new Command("show", $"Without --block: the ledger's height and its last {SummaryBlocks} blocks, one line each.") { home, block };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            (GenesisDocument genesis, BlockStore store, string dataDir) = LedgerCommands.Open(parse.GetRequiredValue(home), parse.InvocationConfiguration.Error);
            using (store)
            {
                if (parse.GetValue(block) is { } number)
                {
                    if (number < 0 || number > store.Height)
                    {
                        throw new CliException($"no block {number}: the ledger at {dataDir} holds blocks 0..{store.Height}");
                    }

                    ShowBlock(output, store.Read(number), genesis);
                }
                else
                {
                    output.WriteLine($"ledger of chain {genesis.ChainId} at {dataDir}: blocks 0..{store.Height} ({genesis.Persistence.ToString().ToLowerInvariant()} persistence)");
                    for (long n = Math.Max(0, store.Height - SummaryBlocks + 1); n <= store.Height; n++)
                    {
                        Block b = store.Read(n);
                        string certificate = b.Certificate is null ? (n == 0 ? "genesis" : "uncertified") : $"certified by {Signers(b.Certificate)}";
                        string kind = Ledger.Reconfiguration.ReconfigurationBlock.Installs(b.Header) ? "  (reconfiguration block)" : "";
                        output.WriteLine($"block {n,8}  instance {b.Body.ConsensusId,8}  {b.Body.Entries.Count,5} entries  {b.Hash}  {certificate}{kind}");
                    }
                }
            }

            return CommandRunner.Success;
        });
        return command;
    }

    private static string Signers(BlockCertificate certificate) => string.Join(',', certificate.Signatures.Select(s => s.ReplicaId));

    private static void ShowBlock(TextWriter output, Block block, GenesisDocument genesis)
    {
        BlockHeader h = block.Header;
        output.WriteLine($"block {h.Number}  {block.Hash}");
        output.WriteLine($"  lastReconfig      {h.LastReconfig}");
        output.WriteLine($"  lastCheckpoint    {h.LastCheckpoint}");
        output.WriteLine($"  hashTransactions  {h.HashTransactions}");
        output.WriteLine($"  hashResults       {h.HashResults}");
        output.WriteLine($"  hashLastBlock     {h.HashLastBlock}");
        output.WriteLine($"  consensus         instance {block.Body.ConsensusId}, decision proof {block.Body.DecisionProof.Length} bytes");
        output.WriteLine($"  certificate       {(block.Certificate is null ? "none" : $"{block.Certificate.Signatures.Count} signatures, replicas {Signers(block.Certificate)}")}");
        if (h.Number == 0)
        {
            output.WriteLine($"  genesis           chain {genesis.ChainId}, {genesis.InitialView.N} replicas, {genesis.Minters.Count} minter(s)");
            return;
        }

        for (int j = 0; j < block.Body.Entries.Count; j++)
        {
            string entry = SignedRequest.TryDecode(block.Body.Entries[j], out SignedRequest? request, out _)
                ? $"{request!.Digest} from {request.Client} seq {request.Sequence}: {Operation(request)}"
                : "not a request";
            output.WriteLine($"  [{j}] {entry} -> {Result(block.Body.Results[j], request is not null && SystemOperation.IsSystem(request.Operation.Span))}");
        }
    }

    private static string Operation(SignedRequest request)
    {
        if (SystemOperation.IsSystem(request.Operation.Span))
        {
            return Reconfiguration.Operations.ReconfigurationOperation.TryDecode(request.Operation.Span, out string? malformed) switch
            {
                Reconfiguration.Operations.JoinOperation join => $"JOIN of replica {join.ReplicaId} at {join.Host}:{join.Port} ({join.ViewKeys.Count} view keys)",
                Reconfiguration.Operations.ReconfigureOperation c => $"RECONFIGURE: join certificate of replica {c.Record.ReplicaId} ({c.Votes.Count} votes of view {c.Record.ViewId})",
                Reconfiguration.Operations.LeaveOperation leave => $"LEAVE of replica {leave.ReplicaId}",
                Reconfiguration.Operations.ExcludeOperation exclude => $"EXCLUDE vote against replica {exclude.Target}",
                _ => malformed ?? "unknown system operation",
            };
        }

        return CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out string? reason) == CoinResultCode.Ok
            ? $"{op!.Kind.ToString().ToUpperInvariant()} {op.Inputs.Count} in, outputs {string.Join('+', op.Outputs.Select(o => o.Value))}"
            : $"malformed operation ({reason})";
    }

    private static string Result(ReadOnlyMemory<byte> result, bool system)
    {
        if (result.IsEmpty)
        {
            return "not executed (repeated sequence)";
        }

        if (system)
        {
            return Reconfiguration.State.SystemResult.TryDecode(result.Span, out string? bad)?.ToString() ?? $"undecodable system result: {bad}";
        }

        try
        {
            CoinResult r = CoinResult.Decode(result.Span);
            return r.Succeeded ? $"Ok, {r.CreatedCoins.Count} coin(s) created" : r.Code.ToString();
        }
        catch (Core.Encoding.EncodingException e)
        {
            return $"undecodable result: {e.Message}";
        }
    }
}
