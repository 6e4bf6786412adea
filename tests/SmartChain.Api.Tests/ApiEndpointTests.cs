using System.Text;
using System.Text.Json;
using SmartChain.Core.Requests;
using SmartChain.Ledger;

namespace SmartChain.Api.Tests;

/// <summary>Every endpoint through a real node: four replicas over real TCP, the API of replica 0 on Kestrel.</summary>
[Collection(ApiNetworkGroup.Name)]
public sealed class ApiEndpointTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Http;

    [Fact]
    public async Task A_transaction_submitted_with_wait_certified_comes_back_with_a_receipt_that_verifies_from_genesis()
    {
        SignedRequest mint = fixture.Mint(5, 7);
        HttpResponseMessage response = await Client.PostAsync("api/v1/transactions?wait=certified",
            new StringContent($"{{\"base64\":\"{Convert.ToBase64String(mint.Encoded.Span)}\"}}", Encoding.UTF8, "application/json"));
        JsonElement tx = await response.JsonAsync();
        Assert.Equal(mint.Digest.ToString(), tx.GetProperty("id").GetString());
        Assert.Equal("certified", tx.GetProperty("state").GetString());
        long block = tx.GetProperty("block").GetInt64();

        TransactionReceipt receipt = TransactionReceipt.Decode(Convert.FromBase64String(tx.GetProperty("receipt").GetProperty("encoded").GetString()!));
        Assert.Null(receipt.Verify(fixture.Network.Genesis.InitialView, fixture.Network.Chain));
        Assert.Equal(block, receipt.BlockNumber);
        Assert.True(receipt.Entry.Span.SequenceEqual(mint.Encoded.Span));

        JsonElement status = await Client.GetJsonAsync($"api/v1/transactions/{mint.Digest}");
        Assert.Equal("certified", status.GetProperty("state").GetString());
        JsonElement alone = await Client.GetJsonAsync($"api/v1/transactions/{mint.Digest}/receipt");
        Assert.Equal(tx.GetProperty("receipt").GetProperty("encoded").GetString(), alone.GetProperty("encoded").GetString());

        // The block, by number and by hash, holds the transaction and its certificate by a quorum of view 0.
        JsonElement byNumber = await Client.GetJsonAsync($"api/v1/blocks/{block}");
        string hash = byNumber.GetProperty("hash").GetString()!;
        Assert.Equal(receipt.Header.Hash().ToString(), hash);
        Assert.Contains(byNumber.GetProperty("entries").EnumerateArray(), e => e.GetProperty("id").GetString() == mint.Digest.ToString());
        Assert.Equal(0, byNumber.GetProperty("certificate").GetProperty("viewId").GetInt64());
        Assert.True(byNumber.GetProperty("certificate").GetProperty("signatures").GetArrayLength() >= fixture.Network.Genesis.InitialView.Q);
        Assert.Equal(Convert.ToBase64String(receipt.Header.Encode()), byNumber.GetProperty("header").GetProperty("encoded").GetString());
        JsonElement byHash = await Client.GetJsonAsync($"api/v1/blocks/{hash}");
        Assert.Equal(block, byHash.GetProperty("number").GetInt64());
    }

    [Fact]
    public async Task A_transaction_submitted_without_wait_is_accepted_at_once_and_its_status_follows_it_to_its_block()
    {
        SignedRequest mint = fixture.Mint(11);
        HttpResponseMessage accepted = await Client.PostBytesAsync("api/v1/transactions", mint.Encoded);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/api/v1/transactions/{mint.Digest}", accepted.Headers.Location?.OriginalString);
        Assert.Equal(mint.Digest.ToString(), (await accepted.JsonAsync()).GetProperty("id").GetString());

        // The same bytes again, waiting: one transaction, answered once it is durable here.
        HttpResponseMessage durable = await Client.PostAsync("api/v1/transactions?wait=durable",
            new StringContent($"{{\"hex\":\"{Convert.ToHexString(mint.Encoded.Span)}\"}}", Encoding.UTF8, "application/json"));
        JsonElement tx = await durable.JsonAsync();
        Assert.Contains(tx.GetProperty("state").GetString(), new[] { "durable", "certified" });
        JsonElement status = await Client.GetJsonAsync($"api/v1/transactions/{mint.Digest}");
        Assert.Equal(tx.GetProperty("block").GetInt64(), status.GetProperty("block").GetInt64());
    }

    [Fact]
    public async Task A_transaction_the_replica_refuses_is_answered_422_with_its_reason()
    {
        // A SPEND from a key that owns nothing: the replica's door filter refuses it before ordering.
        using var stranger = Core.Crypto.Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)43, 32).ToArray());
        SignedRequest spend = new Coin.Wallet.CoinWallet(fixture.Network.Chain, stranger).Spend([Core.Crypto.Hash256.Compute([1])],
            [new Coin.CoinOutput(stranger.PublicKey, 1)]);
        HttpResponseMessage response = await Client.PostBytesAsync("api/v1/transactions?wait=durable", spend.Encoded);
        string detail = await Http.AssertProblemAsync(response, 422);
        Assert.Contains("owns no coin", detail, StringComparison.Ordinal);
        JsonElement status = await Client.GetJsonAsync($"api/v1/transactions/{spend.Digest}");
        Assert.Equal("rejected", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Status_readiness_health_view_genesis_and_pages_of_blocks_describe_the_network()
    {
        await (await Client.PostBytesAsync("api/v1/transactions?wait=certified", fixture.Mint(1).Encoded)).JsonAsync();

        Assert.Equal("up", (await Client.GetJsonAsync("healthz")).GetProperty("status").GetString());
        JsonElement status = await Client.GetJsonAsync("api/v1/status");
        Assert.Equal(0, status.GetProperty("replicaId").GetInt32());
        Assert.Equal(4, status.GetProperty("n").GetInt32());
        Assert.True(status.GetProperty("apiCertifiedHeight").GetInt64() >= 1);
        Assert.True(status.GetProperty("height").GetInt64() >= status.GetProperty("apiHeight").GetInt64());
        Assert.Equal(0, status.GetProperty("leader").GetInt32());
        JsonElement ready = await Client.GetJsonAsync("readyz"); // a quorum certified a block: linked to it
        Assert.True(ready.GetProperty("ready").GetBoolean());

        JsonElement view = await Client.GetJsonAsync("api/v1/view");
        Assert.Equal(0, view.GetProperty("current").GetProperty("id").GetInt64());
        Assert.Equal(4, view.GetProperty("current").GetProperty("members").GetArrayLength());
        Assert.Equal(0, view.GetProperty("proofs").GetArrayLength());

        HttpResponseMessage genesis = await Client.GetAsync("api/v1/genesis");
        Assert.Equal(fixture.Network.Genesis.Hash.ToString(), genesis.Headers.GetValues("X-Genesis-Hash").Single());
        Assert.Equal(fixture.Network.Chain, (await genesis.JsonAsync()).GetProperty("chainId").GetString());

        JsonElement page = await Client.GetJsonAsync("api/v1/blocks?limit=2");
        long head = page.GetProperty("height").GetInt64();
        long[] numbers = [.. page.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("number").GetInt64())];
        Assert.Equal([head, head - 1], numbers);
        Assert.Equal(head - 2, page.GetProperty("next").GetInt64());
        JsonElement first = await Client.GetJsonAsync("api/v1/blocks?from=0&limit=5");
        Assert.Equal(0, first.GetProperty("blocks")[0].GetProperty("number").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Coins_of_a_key_come_from_the_application_a_page_at_a_time()
    {
        await (await Client.PostBytesAsync("api/v1/transactions?wait=durable", fixture.Mint(100, 200).Encoded)).JsonAsync();
        string key = fixture.Holder.PublicKey.ToString();
        JsonElement all = await Client.GetJsonAsync($"api/v1/coins/{key}");
        int count = all.GetProperty("coinCount").GetInt32();
        Assert.True(count >= 2);
        Assert.Equal(count, all.GetProperty("coins").GetArrayLength());
        ulong sum = all.GetProperty("coins").EnumerateArray().Aggregate(0UL, (s, c) => s + c.GetProperty("value").GetUInt64());
        Assert.Equal(sum.ToString(System.Globalization.CultureInfo.InvariantCulture), all.GetProperty("balance").GetString());

        JsonElement one = await Client.GetJsonAsync($"api/v1/coins/{key}?limit=1");
        Assert.Equal(1, one.GetProperty("coins").GetArrayLength());
        string next = one.GetProperty("next").GetString()!;
        JsonElement rest = await Client.GetJsonAsync($"api/v1/coins/{key}?after={next}");
        Assert.Equal(count - 1, rest.GetProperty("coins").GetArrayLength());
        Assert.DoesNotContain(rest.GetProperty("coins").EnumerateArray(), c => c.GetProperty("id").GetString() == next);
    }

    [Fact]
    public async Task The_block_stream_delivers_a_newly_certified_block()
    {
        using var stream = await Client.GetStreamAsync("api/v1/events/blocks");
        using var reader = new StreamReader(stream);
        Assert.Equal(": connected", await reader.ReadLineAsync());
        JsonElement tx = await (await Client.PostBytesAsync("api/v1/transactions?wait=certified", fixture.Mint(3).Encoded)).JsonAsync();
        long block = tx.GetProperty("block").GetInt64();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        long seen = -1;
        while (seen < block)
        {
            string? line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                JsonElement summary = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                Assert.True(summary.GetProperty("certified").GetBoolean());
                Assert.True(summary.GetProperty("number").GetInt64() > seen, "events come in block order");
                seen = summary.GetProperty("number").GetInt64();
            }
        }

        Assert.Equal(block, seen);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint_and_the_explorer_is_served_at_the_root()
    {
        JsonElement document = await Client.GetJsonAsync("openapi/v1.json");
        string[] paths = [.. document.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
        string[] expected =
        [
            "/healthz", "/readyz", "/api/v1/status", "/api/v1/genesis", "/api/v1/view", "/api/v1/blocks", "/api/v1/blocks/{id}",
            "/api/v1/transactions", "/api/v1/transactions/{id}", "/api/v1/transactions/{id}/receipt", "/api/v1/coins/{owner}", "/api/v1/events/blocks",
        ];
        foreach (string path in expected)
        {
            Assert.True(paths.Contains(path) || paths.Contains(path + "/"), $"{path} is not in the OpenAPI document: {string.Join(", ", paths)}");
        }

        Assert.Equal(expected.Length, paths.Length);
        HttpResponseMessage root = await Client.GetAsync("");
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SmartChain", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
