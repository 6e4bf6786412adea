using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmartChain.Api.Models;
using SmartChain.Core.Crypto;
using SmartChain.Node.Api;

namespace SmartChain.Api.Endpoints;

/// <summary>Blocks by number or hash, and pages of blocks.</summary>
internal static class BlockEndpoints
{
    public static void Map(IEndpointRouteBuilder app, INodeApi node, ApiServerOptions options)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/blocks").WithTags("blocks");
        api.MapGet("/", Results<Ok<BlockPage>, ProblemHttpResult> (string? from, string? limit) =>
            {
                long height = node.Height;
                long start = height;
                long count = Math.Min(20, options.MaxPageBlocks);
                if (from is not null && !Parse.Number(from, "from", 0, long.MaxValue, out start, out string? error)
                    || limit is not null && !Parse.Number(limit, "limit", 1, options.MaxPageBlocks, out count, out error))
                {
                    return Problems.BadRequest(error!);
                }

                start = Math.Min(start, height);
                long certified = node.CertifiedHeight;
                var blocks = new List<BlockSummary>((int)Math.Max(0, Math.Min(count, start + 1)));
                for (long n = start; n >= 0 && blocks.Count < count; n--)
                {
                    if (node.ReadBlock(n) is { } block)
                    {
                        blocks.Add(JsonMapper.Summary(block, block.Certificate is not null && n <= certified));
                    }
                }

                long last = start - blocks.Count;
                return TypedResults.Ok(new BlockPage(height, certified, blocks, last >= 0 ? last : null));
            })
            .WithName("Blocks").WithSummary("A page of blocks, newest first: from (default the head) down, limit blocks (default 20).");

        api.MapGet("/{id}", Results<Ok<BlockResponse>, ProblemHttpResult> (string id) =>
            {
                long number;
                if (id.Length == 2 * Hash256.Size)
                {
                    if (!Parse.Hash(id, "a block hash", out Hash256 hash, out string? error))
                    {
                        return Problems.BadRequest(error!);
                    }

                    if (node.FindBlock(hash) is not { } found)
                    {
                        return Problems.NotFound($"no block with hash {hash} among the blocks this replica indexes (the most recent ones; ask older blocks by number)");
                    }

                    number = found;
                }
                else if (!Parse.Number(id, "a block number", 0, long.MaxValue, out number, out string? error))
                {
                    return Problems.BadRequest($"{error} (or a block hash of 64 hex digits)");
                }

                return node.ReadBlock(number) is { } block ? TypedResults.Ok(JsonMapper.Block(block, node))
                    : Problems.NotFound($"block {number} is not here yet: the head is block {node.Height}");
            })
            .WithName("Block").WithSummary("A block by number or by header hash (64 hex digits), with its entries, results and certificate.");
    }
}
