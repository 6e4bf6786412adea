using System.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace SmartChain.Api.Tests;

/// <summary>The HTTP API names no application: an application's endpoints are there only when the composition passes them.</summary>
public sealed class ApplicationEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Owner = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void The_API_assembly_references_no_application()
    {
        IReadOnlyList<string> closure = AssemblyGraph.NamesOf(typeof(ApiServer).Assembly);
        Assert.Contains("SmartChain.Node", closure);
        Assert.DoesNotContain("SmartChain.Coin", closure);
    }

    [Fact]
    public async Task Without_application_endpoints_the_coin_query_is_not_there_and_the_platform_still_answers()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync($"api/v1/coins/{Owner}")).StatusCode); // the fixture passes SMaRtCoin's

        await using ApiServer bare = await ApiServer.StartAsync(fixture.Node, ApiServerOptions.Default with { Listen = new IPEndPoint(IPAddress.Loopback, 0) },
            NullLoggerFactory.Instance);
        using var http = new HttpClient { BaseAddress = bare.Address, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Contains("no endpoint", await Http.AssertProblemAsync(await http.GetAsync($"api/v1/coins/{Owner}"), 404), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/status")).StatusCode);
    }
}
