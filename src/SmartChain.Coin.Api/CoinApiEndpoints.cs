using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmartChain.Api;
using SmartChain.Coin.Api.Models;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Node.Api;

namespace SmartChain.Coin.Api;

/// <summary>
/// SMaRtCoin's HTTP endpoint, <c>GET /api/v1/coins/{owner}</c>: a key's balance and coins, paged, asked through the
/// application's own query interface (<see cref="INodeApi.Query"/>). The composition passes it to the platform's API.
/// </summary>
public sealed class CoinApiEndpoints : IApplicationEndpoints
{
    /// <inheritdoc />
    public IJsonTypeInfoResolver? Json => CoinApiJsonContext.Default;

    /// <inheritdoc />
    public void Map(IEndpointRouteBuilder routes, INodeApi node)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(node);
        routes.MapGet("/api/v1/coins/{owner}", Results<Ok<CoinsResponse>, ProblemHttpResult> (string owner, string? after, string? limit) =>
            {
                if (!Ed25519PublicKey.TryParse(owner, out Ed25519PublicKey key))
                {
                    return Problems.BadRequest($"the owner must be an Ed25519 public key of 64 hex digits, not '{Parse.Clip(owner)}'");
                }

                Hash256 cursor = default;
                if (after is not null && !Parse.Hash(after, "after (a coin id)", out cursor, out string? error))
                {
                    return Problems.BadRequest(error!);
                }

                long count = CoinQuery.MaxPageCoins;
                if (limit is not null && !Parse.Number(limit, "limit", 1, CoinQuery.MaxPageCoins, out count, out string? limitError))
                {
                    return Problems.BadRequest(limitError!);
                }

                try
                {
                    (int coins, UInt128 total) = CoinQuery.DecodeBalance(node.Query(CoinQuery.BalanceOf(key)));
                    CoinPage page = CoinQuery.DecodePage(node.Query(after is null ? CoinQuery.CoinsOf(key) : CoinQuery.CoinsOf(key, cursor)));
                    int taken = (int)Math.Min(count, page.Coins.Count);
                    var list = new CoinJson[taken];
                    for (int i = 0; i < taken; i++)
                    {
                        list[i] = new CoinJson(page.Coins[i].Id.ToString(), page.Coins[i].Value);
                    }

                    string? next = taken < page.Coins.Count ? page.Coins[taken - 1].Id.ToString() : page.Next?.ToString();
                    return TypedResults.Ok(new CoinsResponse(key.ToString(), total.ToString(CultureInfo.InvariantCulture), coins, list, next));
                }
                catch (EncodingException e)
                {
                    return Problems.BadRequest($"the application does not answer this query: {e.Message}");
                }
            })
            .WithTags("coin").WithName("Coins")
            .WithSummary("The balance and unspent coins of a key (SMaRtCoin), a page at a time: after is the last coin id of the previous page, limit at most 1024.");
    }
}
