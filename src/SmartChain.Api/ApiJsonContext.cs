using System.Text.Json;
using System.Text.Json.Serialization;
using SmartChain.Api.Models;

namespace SmartChain.Api;

/// <summary>Source-generated JSON for every API shape: no reflection when answering.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(BlockResponse))]
[JsonSerializable(typeof(BlockSummary))]
[JsonSerializable(typeof(BlockPage))]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(ViewResponse))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
