using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmartChain.Api.Models;
using SmartChain.Core.Genesis;
using SmartChain.Node.Api;

namespace SmartChain.Api.Endpoints;

/// <summary>Health, readiness, status, genesis and the current view.</summary>
internal static class ChainEndpoints
{
    public static void Map(IEndpointRouteBuilder app, INodeApi node)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("up")))
            .WithName("Health").WithTags("health").WithSummary("The process is up and serving HTTP.");

        app.MapGet("/readyz", Results<Ok<StatusResponse>, ProblemHttpResult> () =>
            {
                StatusResponse status = JsonMapper.Status(node.Status(), node);
                return status.NotReady is { } reason ? Problems.NotReady(reason) : TypedResults.Ok(status);
            })
            .WithName("Ready").WithTags("health")
            .WithSummary("200 when the replica is a member of its view, linked to a quorum, not in state transfer and not behind; 503 with the reason otherwise.");

        RouteGroupBuilder api = app.MapGroup("/api/v1").WithTags("chain");
        api.MapGet("/status", () => TypedResults.Ok(JsonMapper.Status(node.Status(), node)))
            .WithName("Status").WithSummary("Height, certified height, regency, leader, view and peers of this replica.");

        byte[] genesis = GenesisJson.Serialize(node.Genesis);
        string genesisHash = node.Genesis.Hash.ToString();
        api.MapGet("/genesis", (HttpContext context) =>
            {
                context.Response.Headers["X-Genesis-Hash"] = genesisHash;
                return TypedResults.Bytes(genesis, "application/json");
            })
            .WithName("Genesis").WithSummary("The chain's genesis document (genesis.json); X-Genesis-Hash is the hash of its canonical encoding.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");

        api.MapGet("/view", () =>
            {
                ViewProofChain chain = node.Views();
                var proofs = new ReceiptJson[chain.Proofs.Count];
                for (int i = 0; i < proofs.Length; i++)
                {
                    proofs[i] = JsonMapper.Receipt(chain.Proofs[i], node);
                }

                return TypedResults.Ok(new ViewResponse(JsonMapper.View(chain.Genesis), JsonMapper.View(chain.Current), proofs));
            })
            .WithName("View").WithSummary("The current view and the chain of receipts that proves it from the genesis view.");
    }
}
