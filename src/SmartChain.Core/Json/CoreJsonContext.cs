using System.Text.Json.Serialization;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.Core.Json;

/// <summary>
/// Source-generated JSON for the files people read and edit (genesis, node config, key files). Unknown fields
/// are refused so that a typo in a field name is an error, not a silently ignored setting.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeyFileContents))]
[JsonSerializable(typeof(GenesisFile))]
[JsonSerializable(typeof(NodeConfigFile))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
