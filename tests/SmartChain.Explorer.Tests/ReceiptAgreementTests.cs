using System.Text.Json;
using Microsoft.Playwright;
using SmartChain.Core.Crypto;
using SmartChain.Ledger;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// The browser's receipt verifier (wwwroot/js/verify.js, WebCrypto in headless Chromium) against the C# one, on receipts
/// the C# ledger code built: the valid ones verify from genesis in both, and each receipt tampered in one field fails in
/// both with the same words, at the check the case names.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ReceiptAgreementTests(Chromium chromium) : IAsyncLifetime
{
    private static readonly ReceiptFixtures Fixtures = new();

    // One page for all cases (the browser closes it): a page per case would cost more than the checks themselves.
    private static readonly SemaphoreSlim PageGate = new(1, 1);
    private static readonly List<string> Errors = [];
    private static IPage? _shared;
    private IPage _page = null!;

    /// <summary>Case name → the receipt bytes, the view proofs (or null), and the check that must fail (null: it verifies).</summary>
    public static TheoryData<string> Cases => [.. CaseTable.Keys];

    private static readonly Dictionary<string, (byte[] Receipt, byte[]? Views, string? Check)> CaseTable = BuildCases();

    public async Task InitializeAsync()
    {
        await PageGate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await chromium.NewPageAsync(Errors);
                await StaticSite.OpenBlankAsync(_shared);
            }

            _page = _shared;
        }
        finally
        {
            PageGate.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BrowserAndCSharpAgree(string name)
    {
        (byte[] receipt, byte[]? views, string? check) = CaseTable[name];
        string? expected = Fixtures.CSharpVerdict(receipt, views);
        Verdict js = await VerifyInBrowserAsync(receipt, views);

        Assert.Equal(expected, js.Problem);
        Assert.Equal(expected is null, js.Ok);
        Assert.Equal(check, js.Check);
        if (expected is null)
        {
            Assert.Equal("verified from genesis", js.Message);
        }

        Assert.Empty(Errors);
    }

    [Fact]
    public async Task GenesisHashOfTheJsonMatchesCSharp()
    {
        string hash = await _page.EvaluateAsync<string>(
            "async (json) => (await (await import('/js/genesis.js')).genesisFromJson(json)).hashHex", Fixtures.GenesisJsonText);
        Assert.Equal(Fixtures.Genesis.Hash.ToString(), hash);

        // The canonical bytes (block 0's entry), as a node serves them, are accepted only under the hash the reader holds.
        string encoded = Convert.ToBase64String(Fixtures.Genesis.Encode());
        string fromBytes = await _page.EvaluateAsync<string>(
            "async ([b64, hash]) => { const c = await import('/js/canonical.js'); const g = await import('/js/genesis.js');" +
            " const d = await g.genesisFromCanonical(c.fromBase64(b64), hash); return d.hashHex + ' ' + d.chainId + ' ' + d.view.toString(); }",
            new object[] { encoded, hash });
        Assert.Equal($"{hash} explorer-test view 0 (n=4, f=1, Q=3)", fromBytes);

        string refused = await _page.EvaluateAsync<string>(
            "async ([b64, hash]) => { const c = await import('/js/canonical.js'); const g = await import('/js/genesis.js');" +
            " try { await g.genesisFromCanonical(c.fromBase64(b64), hash); return 'accepted'; } catch (e) { return e.message; } }",
            new object[] { encoded, new string('0', 64) });
        Assert.StartsWith($"genesis hash: the served genesis hashes to {hash}, not to the 0000", refused);
        Assert.Empty(Errors);
    }

    [Fact]
    public async Task SignatureUnderASmallOrderKeyCountsInNeither()
    {
        var f = new SmallOrderKeyFixture();
        string? expected = f.CSharpVerdict();
        Assert.Equal("certificate of block 1: the signature of replica 3 does not verify with its key of view 0", expected);
        JsonElement js = await _page.EvaluateAsync<JsonElement>(
            """
            async ([json, receipt]) => {
              const c = await import('/js/canonical.js');
              const genesis = await (await import('/js/genesis.js')).genesisFromJson(json);
              const r = await (await import('/js/verify.js')).verifyReceipt(genesis, c.fromBase64(receipt), null);
              return { ok: r.ok, check: r.check, problem: r.problem };
            }
            """,
            new object[] { f.GenesisJsonText, Convert.ToBase64String(f.Receipt) });
        Assert.Equal(expected, js.GetProperty("problem").GetString());
        Assert.Equal("certificate", js.GetProperty("check").GetString());
    }

    [Fact]
    public async Task BadGenesisJsonNamesTheField()
    {
        string json = Fixtures.GenesisJsonText.Replace("\"persistence\": \"strong\"", "\"persistence\": \"fast\"", StringComparison.Ordinal)
            .Replace("\"chainId\": \"explorer-test\"", "\"chainId\": \"Explorer\"", StringComparison.Ordinal);
        string message = await _page.EvaluateAsync<string>(
            "async (json) => { try { await (await import('/js/genesis.js')).genesisFromJson(json); return 'accepted'; } catch (e) { return e.message; } }", json);
        Assert.Contains("chainId: contains 'E'; only a-z, 0-9, '.', '_' and '-' are allowed", message, StringComparison.Ordinal);
        Assert.Contains("persistence: unknown mode \"fast\" (expected \"strong\" or \"weak\")", message, StringComparison.Ordinal);
    }

    private async Task<Verdict> VerifyInBrowserAsync(byte[] receipt, byte[]? views)
    {
        JsonElement result = await _page.EvaluateAsync<JsonElement>(
            """
            async ([json, receipt, views]) => {
              const c = await import('/js/canonical.js');
              const v = await import('/js/verify.js');
              window.genesisOfTest ??= await (await import('/js/genesis.js')).genesisFromJson(json);
              const r = await v.verifyReceipt(window.genesisOfTest, c.fromBase64(receipt), views ? c.fromBase64(views) : null);
              return { ok: r.ok, check: r.check, problem: r.problem, message: r.message };
            }
            """,
            new object?[] { Fixtures.GenesisJsonText, Convert.ToBase64String(receipt), views is null ? null : Convert.ToBase64String(views) });
        return new Verdict(result.GetProperty("ok").GetBoolean(), result.GetProperty("check").GetString(),
            result.GetProperty("problem").GetString(), result.GetProperty("message").GetString()!);
    }

    private sealed record Verdict(bool Ok, string? Check, string? Problem, string Message);

    private static Dictionary<string, (byte[], byte[]?, string?)> BuildCases()
    {
        ReceiptFixtures f = Fixtures;
        TransactionReceipt r = f.Block1;
        BlockHeader h = r.Header;
        var signatures = r.Certificate.Signatures;
        byte[] views = f.ViewProofs;
        var cases = new Dictionary<string, (byte[], byte[]?, string?)>
        {
            ["valid"] = (r.Encode(), null, null),
            ["valid in view 1 with its view proof"] = (f.Block3.Encode(), views, null),
            ["view proof of a reconfiguration block itself"] = (f.ViewProof.Encode(), null, null),
            ["receipt version"] = (Patch(r.Encode(), 0, 2), null, "decode"),
            ["header version"] = (Patch(r.Encode(), 1, 9), null, "decode"),
            ["truncated"] = (r.Encode()[..^1], null, "decode"),
            ["trailing byte"] = ([.. r.Encode(), 0], null, "decode"),
            ["header number"] = (Re(r with { Header = h with { Number = 9 } }), null, "certificate"),
            ["header lastCheckpoint"] = (Re(r with { Header = h with { LastCheckpoint = 1 } }), null, "certificate"),
            ["header hashLastBlock"] = (Re(r with { Header = h with { HashLastBlock = Flip(h.HashLastBlock) } }), null, "certificate"),
            ["header hashTransactions"] = (Re(r with { Header = h with { HashTransactions = Flip(h.HashTransactions) } }), null, "entryPath"),
            ["header hashResults"] = (Re(r with { Header = h with { HashResults = Flip(h.HashResults) } }), null, "resultPath"),
            ["header lastReconfig names an unproven view"] = (Re(r with { Header = h with { LastReconfig = 1, Number = 2 } }), null, "certifyingView"),
            ["view-1 receipt without its view proof"] = (f.Block3.Encode(), null, "certifyingView"),
            ["certificate signature byte"] = (Re(r with { Certificate = new([signatures[0], (signatures[1].ReplicaId, FlipBytes(signatures[1].Signature)), signatures[2]]) }), null, "certificate"),
            ["certificate signer not a member"] = (Re(r with { Certificate = new([signatures[0], signatures[1], (7, signatures[2].Signature)]) }), null, "certificate"),
            ["certificate duplicated signer"] = (Re(r with { Certificate = new([signatures[0], signatures[1], signatures[1]]) }), null, "certificate"),
            ["certificate too few signers"] = (Re(r with { Certificate = new([signatures[0], signatures[1]]) }), null, "certificate"),
            ["certificate by another block's signatures"] = (Re(r with { Certificate = f.ForgedRequest.Certificate }), null, "certificate"),
            ["index"] = (Re(r with { Index = 0 }), null, "entryPath"),
            ["entry byte"] = (Re(r with { Entry = FlipBytes(r.Entry, 40) }), null, "entryPath"),
            ["result byte"] = (Re(r with { Result = FlipBytes(r.Result) }), null, "resultPath"),
            ["entry path sibling"] = (Re(r with { EntryProof = FlipPath(r.EntryProof) }), null, "entryPath"),
            ["entry path tree size"] = (Re(r with { EntryProof = new MerkleProof(r.EntryProof.LeafIndex, 2, r.EntryProof.Path) }), null, "entryPath"),
            ["result path sibling"] = (Re(r with { ResultProof = FlipPath(r.ResultProof) }), null, "resultPath"),
            ["result of another entry"] = (Re(r with { Result = new byte[] { 0, 1 } }), null, "resultPath"),
            ["certified entry with a forged client signature"] = (f.ForgedRequest.Encode(), null, "clientSignature"),
            ["certified entry that is not a request"] = (f.NotARequest.Encode(), null, "entry"),
            ["view proof certificate byte"] = (f.Block3.Encode(), ProofsOf(f.ViewProof with { Certificate = new([(0, FlipBytes(f.ViewProof.Certificate.Signatures[0].Signature)), f.ViewProof.Certificate.Signatures[1], f.ViewProof.Certificate.Signatures[2]]) }), "viewProofs"),
            ["view proof that is not a reconfiguration block"] = (f.Block3.Encode(), ProofsOf(r), "viewProofs"),
            ["view proof result byte"] = (f.Block3.Encode(), ProofsOf(f.ViewProof with { Result = FlipBytes(f.ViewProof.Result, 30) }), "viewProofs"),
            ["view proofs truncated"] = (f.Block3.Encode(), views[..^1], "viewProofs"),
        };
        return cases;
    }

    private static byte[] Re(TransactionReceipt r) => r.Encode();

    private static byte[] ProofsOf(TransactionReceipt proof) => Ledger.Reconfiguration.ViewQuery.EncodeAnswer([proof.Encode()]);

    private static byte[] Patch(byte[] bytes, int at, byte value)
    {
        bytes[at] = value;
        return bytes;
    }

    private static Hash256 Flip(Hash256 hash)
    {
        byte[] bytes = hash.ToArray();
        bytes[5] ^= 0x40;
        return new Hash256(bytes);
    }

    private static byte[] FlipBytes(ReadOnlyMemory<byte> bytes, int at = 0)
    {
        byte[] copy = bytes.ToArray();
        copy[Math.Min(at, copy.Length - 1)] ^= 0x01;
        return copy;
    }

    private static MerkleProof FlipPath(MerkleProof proof) =>
        new(proof.LeafIndex, proof.TreeSize, [Flip(proof.Path[0]), .. proof.Path.Skip(1)]);
}
