using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Routing;
using SmartChain.Node.Api;

namespace SmartChain.Api;

/// <summary>
/// An application's own HTTP endpoints (its queries, in its own JSON), mapped beside the platform's. The API names no
/// application: whoever composes the replica passes these in <see cref="ApiServerOptions.Application"/> (SMaRtCoin's
/// for <c>node run --http</c>). They read the replica only through <see cref="INodeApi"/> (<see cref="INodeApi.Query"/>
/// for application queries), answer bad input with <see cref="Problems"/>, and fall under the API's size and rate limits.
/// </summary>
public interface IApplicationEndpoints
{
    /// <summary>Type information for the endpoints' JSON shapes (a source-generated context), or null if they have none.</summary>
    IJsonTypeInfoResolver? Json { get; }

    /// <summary>Maps the endpoints on <paramref name="routes"/>, answering from <paramref name="node"/>.</summary>
    void Map(IEndpointRouteBuilder routes, INodeApi node);
}
