using System.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace SmartChain.Api.Tests;

/// <summary>
/// The replica's block streams are few (64); before a share per source, one address could open them all and every other
/// explorer got 429 for as long as it held them (second reader of issue 14).
/// </summary>
[Collection(ApiNetworkGroup.Name)]
public sealed class EventStreamShareTests(ApiFixture fixture)
{
    [Fact]
    public async Task One_source_holds_at_most_its_share_of_the_block_streams_and_a_closed_one_is_given_back()
    {
        await using ApiServer server = await ApiServer.StartAsync(fixture.Node,
            ApiServerOptions.Default with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, NullLoggerFactory.Instance);
        int share = ApiServerOptions.Default.EventStreamsPerSource;
        Assert.True(share < 64, "the share per source must leave streams for other sources");
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(15) };

        var held = new List<HttpResponseMessage>();
        try
        {
            for (int i = 0; i < share; i++)
            {
                HttpResponseMessage stream = await http.GetAsync("api/v1/events/blocks", HttpCompletionOption.ResponseHeadersRead);
                held.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            }

            using HttpResponseMessage refused = await http.GetAsync("api/v1/events/blocks", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode); // before the body: a stream's body never ends
            string detail = await Http.AssertProblemAsync(refused, 429);
            Assert.Contains("already open from 127.0.0.1", detail, StringComparison.Ordinal);

            // Closing one gives its place back once the server sees the connection end: awaited, then the next is served.
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.EventStreams.Released += _ => released.TrySetResult();
            held[0].Dispose();
            held.RemoveAt(0);
            await released.Task.WaitAsync(TimeSpan.FromSeconds(20));
            HttpResponseMessage retry = await http.GetAsync("api/v1/events/blocks", HttpCompletionOption.ResponseHeadersRead);
            held.Add(retry);
            HttpStatusCode again = retry.StatusCode;
            Assert.Equal(HttpStatusCode.OK, again);
        }
        finally
        {
            foreach (HttpResponseMessage stream in held)
            {
                stream.Dispose();
            }
        }
    }
}
