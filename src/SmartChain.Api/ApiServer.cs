using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmartChain.Api.Endpoints;
using SmartChain.Node.Api;

namespace SmartChain.Api;

/// <summary>
/// The HTTP/JSON API of one replica (docs/api.md): ASP.NET Core minimal APIs on Kestrel, reading the replica only
/// through <see cref="INodeApi"/>. Every request is size-limited and rated per source address; every bad input is
/// answered with a 4xx application/problem+json; the OpenAPI document is at <c>/openapi/v1.json</c> and the block
/// explorer (embedded files) at <c>/</c>.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, Uri address, SourceCounter connections, SourceCounter eventStreams)
    {
        _app = app;
        Address = address;
        Connections = connections;
        EventStreams = eventStreams;
    }

    /// <summary>The address the API answers on, e.g. http://127.0.0.1:8080/.</summary>
    public Uri Address { get; }

    /// <summary>The connections each source holds (its share: <see cref="ApiServerOptions.ConnectionsPerSource"/>).</summary>
    internal SourceCounter Connections { get; }

    /// <summary>The block streams each source holds (its share: <see cref="ApiServerOptions.EventStreamsPerSource"/>).</summary>
    internal SourceCounter EventStreams { get; }

    /// <summary>Starts the API for <paramref name="node"/>.</summary>
    /// <exception cref="ArgumentException">The options do not hold together.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<ApiServer> StartAsync(INodeApi node, ApiServerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (options.Problem is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var connections = new SourceCounter(options.ConnectionsPerSource);
        var eventStreams = new SourceCounter(options.EventStreamsPerSource);
        WebApplication app = Build(node, options, loggers, connections, eventStreams);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(app, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"), connections, eventStreams);
    }

    // Refilled every 100 ms so the rate is smooth; a rate under 10 a second refills once a second.
    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond >= 10 ? perSecond / 10 : perSecond,
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(perSecond >= 10 ? 100 : 1000),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static WebApplication Build(INodeApi node, ApiServerOptions options, ILoggerFactory loggers, SourceCounter connections, SourceCounter eventStreams)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Listen, listen => listen.Use(next => connection => ConnectionShare.RunAsync(connection, next, connections, options.ConnectionsPerSource)));
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestLineSize = 8 * 1024;
            k.Limits.MaxRequestHeaderCount = 64;
            k.Limits.MaxConcurrentConnections = 1024;
            k.Limits.Http2.MaxStreamsPerConnection = 32; // bounds the refusals waiting out RejectionDelay at once, with the line above
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(20); // an idle connection holds a place (default 130 s); the page polls every 2 s
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            if (options.Application?.Json is { } application)
            {
                o.SerializerOptions.TypeInfoResolverChain.Insert(1, application);
            }
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Answers the framework writes itself (no route, wrong method, wrong content type) say what was asked.
            HttpRequest request = context.HttpContext.Request;
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"no endpoint at {request.Path} (docs/api.md lists them; /openapi/v1.json too)",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}",
                StatusCodes.Status415UnsupportedMediaType =>
                    $"send a transaction as application/json ({{\"base64\": …}} or {{\"hex\": …}}) or application/octet-stream, not '{Parse.Clip(request.ContentType)}'",
                _ => null,
            };
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SmartChain replica API";
            document.Info.Description = "The HTTP/JSON API of one SmartChain replica (docs/api.md).";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(o =>
        {
            // Per source first, then all sources together: many addresses cannot add up to more than the API's share.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                // A source is an IPv4 address or an IPv6 /64: a host given a /64 would otherwise have a bucket per address.
                PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(SourceCounter.SourceOf(context.Connection.RemoteIpAddress),
                        _ => Bucket(options.RequestsPerSecondPerSource, options.BurstPerSource))),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Request.Path.StartsWithSegments("/api/v1/events", StringComparison.Ordinal)
                        ? RateLimitPartition.GetNoLimiter("events") // bounded by the number of streams instead
                        : RateLimitPartition.GetTokenBucketLimiter("all", _ => Bucket(options.RequestsPerSecondInAll, options.RequestsPerSecondInAll))));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, token) =>
            {
                if (options.RejectionDelay > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(options.RejectionDelay, token); // token: the caller went away
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.Busy($"more than {options.RequestsPerSecondPerSource} requests a second (burst {options.BurstPerSource}) from {context.HttpContext.Connection.RemoteIpAddress}, or more than {options.RequestsPerSecondInAll} requests a second from all sources")
                    .ExecuteAsync(context.HttpContext);
            };
        });

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        var files = new ManifestEmbeddedFileProvider(typeof(ApiServer).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapOpenApi();
        ChainEndpoints.Map(app, node);
        BlockEndpoints.Map(app, node, options);
        TransactionEndpoints.Map(app, node, options);
        options.Application?.Map(app, node);
        EventEndpoints.Map(app, node, options, eventStreams);
        return app;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
