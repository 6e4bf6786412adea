using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Core.Requests;

namespace SmartChain.Api.Tests;

/// <summary>Garbage at every endpoint: always a 4xx problem+json that says what was wrong, never a 5xx; and the rate limit.</summary>
[Collection(ApiNetworkGroup.Name)]
public sealed class BadInputTests(ApiFixture fixture)
{
    private static readonly string Hex64 = new('a', 64);

    public static TheoryData<string> BadGets() =>
    [
        "api/v1/blocks/abc", "api/v1/blocks/-1", "api/v1/blocks/99999999999", "api/v1/blocks/1e3", "api/v1/blocks/" + new string('z', 64),
        "api/v1/blocks/" + Hex64, "api/v1/blocks/%ff%fe", "api/v1/blocks/" + new string('9', 40), "api/v1/blocks?from=x", "api/v1/blocks?limit=0",
        "api/v1/blocks?limit=100000", "api/v1/blocks?from=-5", "api/v1/transactions/xyz", "api/v1/transactions/" + Hex64,
        "api/v1/transactions/" + Hex64 + "/receipt", "api/v1/transactions/12/receipt", "api/v1/coins/nothex", "api/v1/coins/" + Hex64 + "?after=bad",
        "api/v1/coins/" + Hex64 + "?limit=0", "api/v1/coins/" + Hex64 + "?limit=abc", "api/v1/nothing", "api/v2/status", "api/v1/blocks/1/2/3",
    ];

    [Theory]
    [MemberData(nameof(BadGets))]
    public async Task A_bad_read_is_a_problem_with_a_4xx(string path)
    {
        string detail = await Http.AssertProblemAsync(await fixture.Http.GetAsync(path));
        Assert.True(path.Contains("nothing", StringComparison.Ordinal) || path.Contains("v2", StringComparison.Ordinal) || path.EndsWith("/2/3", StringComparison.Ordinal)
            || detail.Length > 10, $"{path}: the detail says nothing: '{detail}'");
    }

    [Fact]
    public async Task A_bad_submission_is_a_problem_with_a_4xx_that_names_what_is_wrong()
    {
        SignedRequest good = fixture.Mint(9);
        byte[] tampered = good.Encoded.ToArray();
        tampered[^1] ^= 1;
        SignedRequest otherChain = new Coin.Wallet.CoinWallet("another-chain", fixture.Network.Minter).Mint([new Coin.CoinOutput(fixture.Holder.PublicKey, 1)]);
        (HttpContent Body, int Status, string Says)[] cases =
        [
            (Json("{\"base64\":"), 400, "JSON"),
            (Json("[1,2,3]"), 400, "JSON"),
            (Json("{}"), 400, "exactly one"),
            (Json($"{{\"base64\":\"AA==\",\"hex\":\"00\"}}"), 400, "exactly one"),
            (Json("{\"base64\":\"!!!not base64!!!\"}"), 400, "base64"),
            (Json("{\"hex\":\"abc\"}"), 400, "hex"),
            (Json("{\"hex\":\"00112233\"}"), 400, "not a signed transaction"),
            (Bytes(tampered), 400, "signature"),
            (Bytes(otherChain.Encoded.ToArray()), 400, "another-chain"),
            (Bytes([]), 400, "empty"),
            (Bytes(new byte[300_000]), 413, ""),
            (new StringContent("hello", Encoding.UTF8, "text/plain"), 415, "application/json"),
        ];
        foreach ((HttpContent body, int status, string says) in cases)
        {
            string detail = await Http.AssertProblemAsync(await fixture.Http.PostAsync("api/v1/transactions", body), status);
            Assert.Contains(says, detail, StringComparison.Ordinal);
        }

        string wait = await Http.AssertProblemAsync(await fixture.Http.PostAsync("api/v1/transactions?wait=forever", Bytes(good.Encoded.ToArray())), 400);
        Assert.Contains("wait", wait, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_Kestrel_refuses_before_the_API_sees_it_is_a_4xx_too()
    {
        // A NUL in the path, a request line or headers over the limits: Kestrel answers these itself (empty body).
        HttpResponseMessage nul = await fixture.Http.GetAsync("api/v1/blocks/%00");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, nul.StatusCode);
        HttpResponseMessage longLine = await fixture.Http.GetAsync("api/v1/blocks/" + new string('1', 10_000));
        Assert.True((int)longLine.StatusCode is >= 400 and < 500, $"{longLine.StatusCode}");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/status");
        request.Headers.Add("X-Big", new string('x', 20_000));
        HttpResponseMessage bigHeader = await fixture.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeader.StatusCode);
    }

    [Fact]
    public async Task A_wrong_method_or_an_unknown_path_is_a_problem_too()
    {
        Assert.Contains("DELETE", await Http.AssertProblemAsync(await fixture.Http.DeleteAsync("api/v1/status"), 405), StringComparison.Ordinal);
        await Http.AssertProblemAsync(await fixture.Http.PostAsync("api/v1/events/blocks", new StringContent("x")), 405);
        await Http.AssertProblemAsync(await fixture.Http.PutAsync("api/v1/transactions", new StringContent("x")), 405);
        Assert.Contains("no endpoint", await Http.AssertProblemAsync(await fixture.Http.GetAsync("no/such/path"), 404), StringComparison.Ordinal);
    }

    // The refusal waits out RejectionDelay, so a flooder that waits for each answer is slowed to the rate.
    [Fact]
    public async Task A_source_over_its_rate_is_answered_429_after_the_rejection_delay()
    {
        var delay = TimeSpan.FromMilliseconds(400);
        await using ApiServer strict = await ApiServer.StartAsync(fixture.Node,
            ApiServerOptions.Default with { Listen = new IPEndPoint(IPAddress.Loopback, 0), RequestsPerSecondPerSource = 1, BurstPerSource = 3, RejectionDelay = delay },
            NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = strict.Address };
        (HttpResponseMessage refused, TimeSpan took) = await ThreeAnsweredThenRefusedAsync(http);
        Assert.True(took >= delay, $"refused after {took.TotalMilliseconds:0} ms, before the {delay.TotalMilliseconds:0} ms delay");
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("requests a second", await Http.AssertProblemAsync(refused, 429), StringComparison.Ordinal);
    }

    // Many sources cannot add up to more than the API's share: the bound for all sources together answers 429 even when
    // no single source is over its own rate. (The tests' sources all share 127.0.0.1, so its own rate is set far above.)
    [Fact]
    public async Task Requests_over_the_rate_for_all_sources_together_are_answered_429_and_event_streams_are_not_counted()
    {
        await using ApiServer strict = await ApiServer.StartAsync(fixture.Node,
            ApiServerOptions.Default with
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0), RequestsPerSecondPerSource = 1_000_000, BurstPerSource = 1_000_000, RequestsPerSecondInAll = 3,
                RejectionDelay = TimeSpan.Zero,
            },
            NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = strict.Address };
        (HttpResponseMessage refused, _) = await ThreeAnsweredThenRefusedAsync(http);
        Assert.Contains("from all sources", await Http.AssertProblemAsync(refused, 429), StringComparison.Ordinal);

        // The bucket is empty, yet a block stream still opens.
        using var stream = await http.GetAsync("api/v1/events/blocks", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
    }

    // Asks until the API refuses (at most 10 times): the first three must be answered, and a refusal must come; returns
    // it and how long that one request took.
    private static async Task<(HttpResponseMessage Refused, TimeSpan Took)> ThreeAnsweredThenRefusedAsync(HttpClient http)
    {
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        TimeSpan took = TimeSpan.Zero;
        for (int i = 0; i < 10 && refused is null; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage response = await http.GetAsync("healthz");
            took = clock.Elapsed;
            codes.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(codes.Take(3).All(c => c == HttpStatusCode.OK), string.Join(", ", codes));
        return (refused, took);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
