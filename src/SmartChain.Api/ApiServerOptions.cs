using System.Net;

namespace SmartChain.Api;

/// <summary>The HTTP API's listen address and limits; validated when the server starts.</summary>
public sealed record ApiServerOptions
{
    /// <summary>Where the API listens (port 0: any free port).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>Requests one source address may make per second, on average (a token bucket refilled every 100 ms).</summary>
    public int RequestsPerSecondPerSource { get; init; } = 50;

    /// <summary>Requests one source address may make at once above the rate (the bucket's size).</summary>
    public int BurstPerSource { get; init; } = 100;

    /// <summary>
    /// Requests all sources together may make per second (event streams apart): however many addresses flood the API,
    /// it answers at most this many, so its share of the replica's cores stays bounded.
    /// </summary>
    public int RequestsPerSecondInAll { get; init; } = 1_000;

    /// <summary>
    /// How long a refused request waits before its 429 is sent. A flooder that waits for each answer before asking again
    /// (a script, wrk, a browser) is thereby slowed to the rate, instead of costing the replica one refusal after
    /// another as fast as it can ask; a waiting refusal costs a timer, and there are at most as many as open requests.
    /// Zero answers at once.
    /// </summary>
    public TimeSpan RejectionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Block event streams one source may hold open at once: the replica's streams are few (NodeApiOptions.MaxFeeds), so
    /// without a share per source one address could hold them all and shut every other explorer out. An IPv6 source is
    /// its /64, which one host usually owns whole.
    /// </summary>
    public int EventStreamsPerSource { get; init; } = 4;

    /// <summary>
    /// Connections one source may hold open at once (of Kestrel's 1,024): the rate limit counts requests, so without a
    /// share one address could hold every connection, idle. A browser uses about 6; over the share the connection is
    /// answered 429 and closed.
    /// </summary>
    public int ConnectionsPerSource { get; init; } = 64;

    /// <summary>Largest request body: a signed transaction in hex is twice its bytes, so twice the largest request and some JSON.</summary>
    public long MaxRequestBodyBytes { get; init; } = (2L * Core.Limits.MaxRequestBytes) + 4096;

    /// <summary>Longest a <c>?wait=</c> submission waits before answering 202 pending.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most blocks in one page.</summary>
    public int MaxPageBlocks { get; init; } = 100;

    /// <summary>
    /// The application's own endpoints (its queries), mapped beside the platform's; null for none. The composition
    /// chooses: <c>node run --http</c> passes SMaRtCoin's.
    /// </summary>
    public IApplicationEndpoints? Application { get; init; }

    /// <summary>The defaults (127.0.0.1:8080, no application endpoints).</summary>
    public static ApiServerOptions Default { get; } = new();

    /// <summary>Null if the options hold together, else why not.</summary>
    public string? Problem =>
        RequestsPerSecondPerSource < 1 ? "requests per second per source must be at least 1"
        : BurstPerSource < 1 ? "the burst per source must be at least 1"
        : RequestsPerSecondInAll < 1 ? "requests per second in all must be at least 1"
        : EventStreamsPerSource < 1 ? "event streams per source must be at least 1"
        : ConnectionsPerSource < 1 ? "connections per source must be at least 1"
        : MaxRequestBodyBytes < 1024 ? "the largest request body must be at least 1 KiB"
        : MaxWait <= TimeSpan.Zero ? "the longest wait must be positive"
        : RejectionDelay < TimeSpan.Zero || RejectionDelay > TimeSpan.FromSeconds(60) ? "the delay before a 429 must be between 0 and 60 s"
        : MaxPageBlocks < 1 ? "a page must hold at least one block"
        : null;

    /// <summary>Parses <c>HOST:PORT</c> or <c>PORT</c> (host 127.0.0.1); null and why not if it is neither.</summary>
    public static IPEndPoint? ParseListen(string text, out string? error)
    {
        error = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        if (IPEndPoint.TryParse(text, out IPEndPoint? endpoint) && text.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        error = $"'{text}' is not PORT or ADDRESS:PORT (an IP address, e.g. 127.0.0.1:8080)";
        return null;
    }
}
