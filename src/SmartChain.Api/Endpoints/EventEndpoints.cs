using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmartChain.Node.Api;

namespace SmartChain.Api.Endpoints;

/// <summary>Server-sent events: one <c>block</c> event (a block summary) per newly certified block.</summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps the block stream; <paramref name="open"/> counts the streams each source holds (its share: the options').</summary>
    public static void Map(IEndpointRouteBuilder app, INodeApi node, ApiServerOptions options, SourceCounter open)
    {
        app.MapGet("/api/v1/events/blocks", async Task<IResult> (HttpContext context) =>
            {
                IPAddress source = SourceCounter.SourceOf(context.Connection.RemoteIpAddress);
                if (!open.TryEnter(source))
                {
                    return Problems.Busy($"{options.EventStreamsPerSource} block streams are already open from {source}; close one, or retry later");
                }

                try
                {
                    using BlockFeed? feed = node.Subscribe();
                    if (feed is null)
                    {
                        return Problems.Busy("too many block streams are open on this replica; retry later");
                    }

                    CancellationToken stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                    using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                    await StreamAsync(context.Response, feed, node, done.Token);
                    return Results.Empty;
                }
                finally
                {
                    open.Leave(source);
                }
            })
            .WithTags("blocks").WithName("BlockEvents")
            .WithSummary("Server-sent events: an event 'block' (id = block number, data = a block summary) for each newly certified block.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    private static async Task StreamAsync(HttpResponse response, BlockFeed feed, INodeApi node, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync(": connected\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                beat.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await feed.Numbers.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (feed.Numbers.TryRead(out long number))
                {
                    if (node.ReadBlock(number) is not { } block)
                    {
                        continue;
                    }

                    byte[] json = JsonSerializer.SerializeToUtf8Bytes(JsonMapper.Summary(block, certified: true), ApiJsonContext.Default.BlockSummary);
                    await response.WriteAsync($"id: {number}\nevent: block\ndata: ", cancellationToken);
                    await response.Body.WriteAsync(json, cancellationToken);
                    await response.WriteAsync("\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The client went away.
        }
    }
}
