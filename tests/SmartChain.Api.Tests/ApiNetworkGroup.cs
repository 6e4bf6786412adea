namespace SmartChain.Api.Tests;

/// <summary>The API test classes share one four-replica network (starting one costs about a second).</summary>
[CollectionDefinition(Name)]
public sealed class ApiNetworkGroup : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
