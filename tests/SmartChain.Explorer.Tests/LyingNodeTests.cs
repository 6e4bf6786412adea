using System.Text.Json;
using Microsoft.Playwright;
using SmartChain.Core.Crypto;
using SmartChain.Ledger;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// The explorer against a node that lies (second reader of issue 14): the page and its scripts are the real ones, the
/// API answers are forged by request interception from real certified data of <see cref="ReceiptFixtures"/>. A valid
/// receipt or certificate must not lend its "verified" to facts it does not prove: a receipt of another transaction,
/// a result the receipt does not certify, a block number, entries or results the certified header does not commit to.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class LyingNodeTests(Chromium chromium)
{
    private static readonly ReceiptFixtures Fixtures = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string, string?> TransactionCases => new()
    {
        { "honest", null },
        { "the receipt of another transaction", "matches" },
        { "a result the receipt does not certify", "matches" },
        { "another entry of the block", "matches" },
    };

    [Theory]
    [MemberData(nameof(TransactionCases))]
    public async Task A_transaction_page_verifies_only_what_its_receipt_proves(string lie, string? failedCheck)
    {
        TransactionReceipt receipt = Fixtures.Block1;
        string realId = Hash256.Compute(receipt.Entry.Span).ToString();
        string shownId = lie == "the receipt of another transaction" ? Hash256.Compute(Fixtures.Block3.Entry.Span).ToString() : realId;
        byte[] result = lie == "a result the receipt does not certify" ? [0, 9, 9] : receipt.Result.ToArray();
        int index = lie == "another entry of the block" ? 0 : receipt.Index;
        var tx = new
        {
            id = shownId, state = "certified", reason = (string?)null, block = receipt.BlockNumber, index, result = Convert.ToBase64String(result),
            receipt = new { encoded = Convert.ToBase64String(receipt.Encode()) },
        };

        IPage page = await OpenAsync($"#/tx/{shownId}", new() { [$"/api/v1/transactions/{shownId}"] = JsonSerializer.Serialize(tx, Json) });
        try
        {
            await page.WaitForSelectorAsync("#verdict");
            if (failedCheck is null)
            {
                Assert.Equal("true", await page.GetAttributeAsync("#verdict", "data-ok"));
                Assert.Equal(1, await page.Locator("#steps li.ok[data-check=matches]").CountAsync());
            }
            else
            {
                Assert.Equal("false", await page.GetAttributeAsync("#verdict", "data-ok"));
                Assert.Equal(failedCheck, await page.GetAttributeAsync("#verdict", "data-check"));
                Assert.Contains("does not prove what the node says", await page.TextContentAsync("#verdict"), StringComparison.Ordinal);
            }
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    public static TheoryData<string, bool> BlockCases => new()
    {
        { "honest", true },
        { "a result changed", false },
        { "an entry's id changed", false },
        { "shown as another block number", false },
        { "a header field changed", false },
        { "an entry left out", false },
    };

    [Theory]
    [MemberData(nameof(BlockCases))]
    public async Task A_block_page_checks_what_it_shows_against_the_certified_header(string lie, bool holds)
    {
        Block block = Fixtures.CertifiedBlock1;
        BlockHeader header = block.Header;
        var entries = block.Body.Entries.Select((e, i) => new Dictionary<string, object?>
        {
            ["index"] = i, ["id"] = Hash256.Compute(e.Span).ToString(), ["client"] = null, ["sequence"] = null, ["size"] = e.Length,
            ["entry"] = Convert.ToBase64String(e.Span), ["result"] = Convert.ToBase64String(block.Body.Results[i].Span),
        }).ToList();
        long number = header.Number;
        string hashResults = header.HashResults.ToString();
        switch (lie)
        {
            case "a result changed":
                entries[2]["result"] = Convert.ToBase64String(new byte[] { 0, 99 });
                break;
            case "an entry's id changed":
                entries[0]["id"] = Hash256.Compute([5]).ToString();
                break;
            case "shown as another block number":
                number = 7;
                break;
            case "a header field changed":
                hashResults = Hash256.Compute([6]).ToString();
                break;
            case "an entry left out":
                entries.RemoveAt(2);
                break;
        }

        var json = new
        {
            number, hash = header.Hash().ToString(), consensusId = block.Body.ConsensusId, certified = true,
            header = new
            {
                number, lastReconfig = header.LastReconfig, lastCheckpoint = header.LastCheckpoint, hashTransactions = header.HashTransactions.ToString(),
                hashResults, hashLastBlock = header.HashLastBlock.ToString(), encoded = Convert.ToBase64String(header.Encode()),
            },
            certificate = new
            {
                viewId = 0,
                signatures = block.Certificate!.Signatures.Select(s => new { replica = s.ReplicaId, signature = Convert.ToHexStringLower(s.Signature.Span) }),
            },
            transactionCount = entries.Count, entries,
        };

        IPage page = await OpenAsync($"#/block/{number}", new() { [$"/api/v1/blocks/{number}"] = JsonSerializer.Serialize(json, Json) });
        try
        {
            await page.WaitForSelectorAsync("#certificate-check");
            Assert.Equal(holds ? "badge ok" : "badge bad", await page.GetAttributeAsync("#certificate-check", "class"));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_views_page_shows_the_members_it_proved_not_the_ones_the_node_names()
    {
        // The node names its own hosts for every view; the view proof it serves is real (block 2 installs view 1).
        var lying = new
        {
            id = 0, n = 4, f = 1, q = 3,
            members = Fixtures.View0.Members.Select(m => new
            {
                id = m.Id, host = "evil.example", port = m.Port, clientPort = m.ClientPort, publicKey = m.PublicKey.ToString(), viewKey = m.ViewKey.Key.ToString(),
            }),
        };
        string view = JsonSerializer.Serialize(new
        {
            genesis = lying, current = new { id = 1, lying.n, lying.f, lying.q, lying.members },
            proofs = new[] { new { encoded = Convert.ToBase64String(Fixtures.ViewProof.Encode()), block = Fixtures.ViewProof.BlockNumber } },
        }, Json);

        IPage page = await OpenAsync("#/views", new() { ["/api/v1/view"] = view });
        try
        {
            await page.WaitForSelectorAsync("text=verified: certified by a quorum of view 0");
            // The genesis view is not as in the trusted one, and the node's members of view 1 are not the proven ones.
            Assert.Equal(2, await page.Locator(".panel .badge.bad").CountAsync());
            foreach (ILocator panel in await page.Locator(".panel:has(.badge.ok)").AllAsync())
            {
                Assert.DoesNotContain("evil.example", await panel.TextContentAsync(), StringComparison.Ordinal);
            }

            Assert.Contains("127.0.0.1:27000", await page.Locator(".panel:has(.badge.ok)").Last.TextContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    // The explorer page with the fixtures' genesis trusted (as a reader who gave it earlier), whose API calls are
    // answered from `answers` (path → JSON), an empty view history and status, and an event stream that ends at once.
    private async Task<IPage> OpenAsync(string route, Dictionary<string, string> answers)
    {
        var errors = new List<string>();
        IPage page = await chromium.NewPageAsync(errors);
        page.SetDefaultTimeout(15_000);
        string saved = JsonSerializer.Serialize(new { json = Fixtures.GenesisJsonText, trust = "the test's genesis.json" });
        await page.AddInitScriptAsync($"localStorage.setItem('smartchain-explorer-genesis', {JsonSerializer.Serialize(saved)});");
        await StaticSite.OpenBlankAsync(page);
        answers.TryAdd("/api/v1/view", "{\"genesis\":{\"id\":0,\"n\":4,\"f\":1,\"q\":3,\"members\":[]},\"current\":{\"id\":0,\"n\":4,\"f\":1,\"q\":3,\"members\":[]},\"proofs\":[]}");
        answers["/api/v1/status"] = "{\"height\":3,\"certifiedHeight\":3,\"ready\":true}";
        await page.RouteAsync(StaticSite.Origin + "/api/v1/**", async r =>
        {
            string path = new Uri(r.Request.Url).AbsolutePath;
            if (path == "/api/v1/events/blocks")
            {
                await r.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = ": connected\n\n" });
            }
            else if (answers.TryGetValue(path, out string? body))
            {
                await r.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = body });
            }
            else
            {
                await r.FulfillAsync(new RouteFulfillOptions { Status = 404, ContentType = "application/problem+json", Body = "{\"status\":404,\"detail\":\"not here\"}" });
            }
        });
        await page.GotoAsync(StaticSite.Origin + "/index.html" + route);
        return page;
    }
}
