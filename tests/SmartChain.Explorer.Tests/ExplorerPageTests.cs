using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Requests;
using SmartChain.Ledger;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// The explorer as a reader sees it, in headless Chromium, served by a real 4-replica network under load: the head and
/// the blocks list advance, a transaction submitted through the API appears with a receipt the page verifies from the
/// genesis it accepted under the reader's hash, and the same receipt with one signature byte changed is shown failing.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ExplorerPageTests(Chromium chromium)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PageShowsBlocksAdvancingAndVerifiesAReceiptAndShowsATamperedOneFailing()
    {
        await using ExplorerNetwork net = await ExplorerNetwork.StartAsync();
        var errors = new List<string>();
        IPage page = await chromium.NewPageAsync(errors);
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        try
        {
            // 1. Head and blocks advance, driven by the status poll and the SSE stream.
            await page.GotoAsync(net.Address.ToString());
            await page.WaitForFunctionAsync("() => Number(document.getElementById('height').textContent) >= 3");
            long first = long.Parse(await page.TextContentAsync("#height") ?? "", System.Globalization.CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync($"() => Number(document.getElementById('height').textContent) >= {first + 3}");
            await page.WaitForFunctionAsync("() => document.getElementById('stream').textContent === 'stream: open'");
            string top = await TopBlockAsync(page);
            await page.WaitForFunctionAsync(
                $"() => {{ const r = document.querySelector('#blocks-body tr'); return r && Number(r.dataset.number) > {top}; }}");
            await page.WaitForFunctionAsync("() => Number(document.getElementById('tps').textContent) > 0");
            Assert.Equal("ready", await page.TextContentAsync("#readiness"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsFolder, "explorer-head.png") });

            // 2. Trust the node's genesis only under the hash the reader holds.
            await page.GotoAsync(net.Address + "#/verify");
            await page.FillAsync("#genesis-hash", net.Genesis.Hash.ToString());
            await page.ClickAsync("#trust-node");
            await page.WaitForSelectorAsync("#trusted-hash");
            Assert.Equal(net.Genesis.Hash.ToString(), await page.TextContentAsync("#trusted-hash"));

            // 3. A transaction submitted through the API appears with a receipt the page verifies.
            SignedRequest mint = new CoinWallet(net.Genesis.ChainId, net.Spare).Mint([new CoinOutput(net.Spare.PublicKey, 42)]);
            using var http = new HttpClient { BaseAddress = net.Address, Timeout = Patience };
            using HttpResponseMessage submitted = await http.PostAsJsonAsync("api/v1/transactions?wait=certified", new { base64 = Convert.ToBase64String(mint.Encoded.Span) });
            submitted.EnsureSuccessStatusCode();
            JsonElement tx = await submitted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(mint.Digest.ToString(), tx.GetProperty("id").GetString());
            byte[] receipt = Convert.FromBase64String(tx.GetProperty("receipt").GetProperty("encoded").GetString()!);

            await page.GotoAsync(net.Address + $"#/tx/{mint.Digest}");
            await page.WaitForSelectorAsync("#verdict");
            Assert.Equal("true", await page.GetAttributeAsync("#verdict", "data-ok"));
            Assert.Contains("verified from genesis", await page.TextContentAsync("#verdict"), StringComparison.Ordinal);
            Assert.Equal("certified", await page.TextContentAsync("#tx-state"));
            // Every check of `receipt verify` but the view proofs (the network never left view 0) held, and the receipt is
            // of the transaction the page shows.
            Assert.Equal(8, await page.Locator("#steps li.ok").CountAsync());
            Assert.Equal(0, await page.Locator("#steps li.fail, #steps li.skipped").CountAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsFolder, "explorer-receipt.png"), FullPage = true });

            // The receipt's block: its certificate checked in the page too, its entry linking to the transaction.
            long block = tx.GetProperty("block").GetInt64();
            int index = tx.GetProperty("index").GetInt32();
            await page.GotoAsync(net.Address + $"#/block/{block}");
            await page.WaitForSelectorAsync("#certificate-check");
            Assert.Equal("badge ok", await page.GetAttributeAsync("#certificate-check", "class"));
            Assert.Equal($"#/tx/{mint.Digest}", await page.GetAttributeAsync($"#entries tbody tr:nth-child({index + 1}) a", "href"));

            // The view history: the node's genesis view is the trusted one.
            await page.GotoAsync(net.Address + "#/views");
            await page.WaitForSelectorAsync("text=as in the genesis you trust");

            // 4. The same receipt with one certificate signature byte changed is shown failing, in the C# verifier's words.
            TransactionReceipt good = TransactionReceipt.Decode(receipt);
            var signatures = good.Certificate.Signatures.ToArray();
            byte[] changed = signatures[0].Signature.ToArray();
            changed[10] ^= 0x01;
            signatures[0] = (signatures[0].ReplicaId, changed);
            TransactionReceipt tampered = good with { Certificate = new BlockCertificate(signatures) };
            string expected = $"receipt does not hold: {tampered.Verify(net.Genesis.InitialView, net.Genesis.ChainId)}";
            Assert.StartsWith($"receipt does not hold: certificate of block {good.BlockNumber}: the signature of replica", expected, StringComparison.Ordinal);

            await page.GotoAsync(net.Address + "#/verify");
            await page.FillAsync("#receipt-input", Convert.ToBase64String(tampered.Encode()));
            await page.ClickAsync("#verify-button");
            await page.WaitForSelectorAsync("#verdict");
            Assert.Equal("false", await page.GetAttributeAsync("#verdict", "data-ok"));
            Assert.Equal("certificate", await page.GetAttributeAsync("#verdict", "data-check"));
            Assert.Equal($"✘ {expected}", (await page.TextContentAsync("#verdict"))?.Trim());
            Assert.Equal(1, await page.Locator("#steps li.fail[data-check=certificate]").CountAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsFolder, "explorer-tampered.png"), FullPage = true });

            Assert.Empty(errors);
            Assert.True(net.Minted > 0);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static async Task<string> TopBlockAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#blocks-body tr");
        return await page.GetAttributeAsync("#blocks-body tr", "data-number") ?? "0";
    }
}
