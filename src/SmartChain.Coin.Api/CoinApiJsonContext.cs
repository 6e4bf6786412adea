using System.Text.Json;
using System.Text.Json.Serialization;
using SmartChain.Coin.Api.Models;

namespace SmartChain.Coin.Api;

/// <summary>Source-generated JSON for SMaRtCoin's API shapes: no reflection when answering.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CoinsResponse))]
internal sealed partial class CoinApiJsonContext : JsonSerializerContext;
