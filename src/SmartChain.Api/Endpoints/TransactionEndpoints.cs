using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmartChain.Api.Models;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Node.Api;

namespace SmartChain.Api.Endpoints;

/// <summary>Submitting signed transactions, and their status and receipts by id.</summary>
internal static class TransactionEndpoints
{
    public static void Map(IEndpointRouteBuilder app, INodeApi node, ApiServerOptions options)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/transactions").WithTags("transactions");
        api.MapPost("/", async Task<Results<Ok<TransactionResponse>, Accepted<TransactionResponse>, ProblemHttpResult>> (HttpRequest request, string? wait,
                CancellationToken cancellationToken) =>
            {
                if (wait is not (null or "durable" or "certified"))
                {
                    return Problems.BadRequest($"wait must be 'durable' or 'certified', not '{Parse.Clip(wait)}'");
                }

                (byte[]? bytes, ProblemHttpResult? problem) = await ReadBodyAsync(request, cancellationToken);
                if (problem is not null)
                {
                    return problem;
                }

                if (Check(bytes!, node) is { } bad)
                {
                    return Problems.BadRequest(bad.Detail);
                }

                SignedRequest signed = SignedRequest.Decode(bytes);
                return await SubmitAsync(node, signed, wait, options.MaxWait, cancellationToken);
            })
            .Accepts<SubmitRequest>("application/json", "application/octet-stream")
            .WithName("SubmitTransaction")
            .WithSummary("Submits a signed transaction (its canonical signed bytes: JSON {\"base64\"} or {\"hex\"}, or the raw bytes as application/octet-stream). " +
                         "Answers 202 with its id; with ?wait=durable or ?wait=certified, waits for its block and answers 200 with the result (and receipt once certified).");

        api.MapGet("/{id}", Results<Ok<TransactionResponse>, ProblemHttpResult> (string id) =>
            {
                if (!Parse.Hash(id, "a transaction id", out Hash256 hash, out string? error))
                {
                    return Problems.BadRequest(error!);
                }

                return Describe(node, hash) is { } found ? TypedResults.Ok(found)
                    : Problems.NotFound($"transaction {hash} is not among the transactions this replica indexes or was given through this API");
            })
            .WithName("Transaction").WithSummary("A transaction's state (pending, rejected, durable, certified), block, result and receipt.");

        api.MapGet("/{id}/receipt", Results<Ok<ReceiptJson>, ProblemHttpResult> (string id) =>
            {
                if (!Parse.Hash(id, "a transaction id", out Hash256 hash, out string? error))
                {
                    return Problems.BadRequest(error!);
                }

                if (node.FindTransaction(hash) is not { } at)
                {
                    return Problems.NotFound($"transaction {hash} is not in a block this replica indexes");
                }

                return node.Receipt(at) is { } receipt ? TypedResults.Ok(JsonMapper.Receipt(receipt, node))
                    : Problems.NotFound($"transaction {hash} is in block {at.Block}, which is not certified yet");
            })
            .WithName("Receipt").WithSummary("The receipt of a transaction in a certified block: verifiable offline from the genesis and the view's proof chain.");
    }

    private static async Task<Results<Ok<TransactionResponse>, Accepted<TransactionResponse>, ProblemHttpResult>> SubmitAsync(INodeApi node, SignedRequest signed,
        string? wait, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        SubmitOutcome outcome = await node.SubmitAsync(signed, wait is not null, timeout.Token);
        string location = $"/api/v1/transactions/{outcome.Id}";
        if (outcome.State == SubmitState.Rejected)
        {
            string reason = outcome.Reason ?? "refused";
            return reason.StartsWith("busy", StringComparison.Ordinal) ? Problems.Busy(reason) : Problems.Rejected(reason);
        }

        if (outcome.State == SubmitState.Pending)
        {
            return TypedResults.Accepted(location, new TransactionResponse(outcome.Id.ToString(), "pending", outcome.Reason, null, null, null, null));
        }

        try
        {
            if (wait == "certified")
            {
                await node.WaitForCertifiedAsync(outcome.Block, timeout.Token);
            }
            else
            {
                await node.WaitForHeightAsync(outcome.Block, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return TypedResults.Accepted(location, new TransactionResponse(outcome.Id.ToString(), "pending",
                $"executed in block {outcome.Block}; the API has not read that block back yet", outcome.Block, null, Convert.ToBase64String(outcome.Result.Span), null));
        }

        TransactionResponse? described = Describe(node, outcome.Id);
        return described is not null ? TypedResults.Ok(described)
            : TypedResults.Accepted(location, new TransactionResponse(outcome.Id.ToString(), "pending", "executed; not in the API's index", outcome.Block, null, null, null));
    }

    // The status of a transaction: from the ledger if it is in a block the API indexes, else from what the API heard.
    internal static TransactionResponse? Describe(INodeApi node, Hash256 id)
    {
        if (node.FindTransaction(id) is { } at && node.ReadBlock(at.Block) is { } block && at.Index < block.Body.Results.Count)
        {
            string result = Convert.ToBase64String(block.Body.Results[at.Index].Span);
            TransactionReceipt? receipt = node.Receipt(at);
            return new TransactionResponse(id.ToString(), receipt is null ? "durable" : "certified", null, at.Block, at.Index, result,
                receipt is null ? null : JsonMapper.Receipt(receipt, node));
        }

        return node.Submitted(id) switch
        {
            { State: SubmitState.Rejected } rejected => new TransactionResponse(id.ToString(), "rejected", rejected.Reason, null, null, null, null),
            { } pending => new TransactionResponse(id.ToString(), "pending", pending.Reason, pending.Block == 0 ? null : pending.Block, null, null, null),
            null => null,
        };
    }

    private static (string Detail, int Status)? Check(byte[] bytes, INodeApi node)
    {
        int max = node.Genesis.Consensus.MaxRequestBytes;
        if (bytes.Length > max)
        {
            return ($"the transaction is {bytes.Length} bytes; this chain takes at most {max}", 400);
        }

        if (!SignedRequest.TryDecode(bytes, out SignedRequest? request, out EncodingException? error))
        {
            return ($"not a signed transaction: {error!.Message}", 400);
        }

        if (request!.ChainId != node.Genesis.ChainId)
        {
            return ($"the transaction is signed for chain '{Parse.Clip(request.ChainId)}', not '{node.Genesis.ChainId}'", 400);
        }

        return request.Verify(node.Genesis.ChainId) ? null : ("the client's signature does not verify", 400);
    }

    private static async Task<(byte[]? Bytes, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string contentType = request.ContentType ?? "";
        bool json = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem($"send the transaction as application/json ({{\"base64\": …}} or {{\"hex\": …}}) or application/octet-stream, not '{Parse.Clip(contentType)}'",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Bad request body"));
        }

        if (!json)
        {
            return body.Length == 0 ? (null, Problems.BadRequest("the body is empty; it must hold the signed transaction's bytes")) : (body, null);
        }

        SubmitRequest? submit;
        try
        {
            submit = JsonSerializer.Deserialize(body, ApiJsonContext.Default.SubmitRequest);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"the body is not the JSON expected ({{\"base64\": …}} or {{\"hex\": …}}): {e.Message}"));
        }

        if (submit is null || (submit.Base64 is null) == (submit.Hex is null))
        {
            return (null, Problems.BadRequest("give the signed transaction in exactly one of 'base64' or 'hex'"));
        }

        byte[]? bytes = submit.Base64 is { } b64 ? FromBase64(b64) : FromHex(submit.Hex!);
        return bytes is null || bytes.Length == 0
            ? (null, Problems.BadRequest(submit.Base64 is not null ? "'base64' is not base64 of a transaction" : "'hex' is not an even number of hex digits of a transaction"))
            : (bytes, null);
    }

    private static byte[]? FromBase64(string text)
    {
        byte[] bytes = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, bytes, out int written) ? bytes[..written] : null;
    }

    private static byte[]? FromHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
