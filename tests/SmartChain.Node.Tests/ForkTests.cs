using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Node.Tests;

/// <summary>
/// No forks by removed nodes (SPEC §5). Replicas 0–3 found the network, four others join, then 0–3 all leave. An attacker
/// who later gets every file the old replicas kept — identity keys, key-chain files, ledgers, vote logs — cannot build an
/// alternative block at an old height that a verifier accepts: blocks of view 0 need view-0 keys of view-0 members, and
/// those keys are gone from the old replicas' files.
/// </summary>
public class ForkTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(180)).Token;

    [Fact]
    public async Task After_the_founders_left_their_retained_files_cannot_certify_a_fork_at_an_old_height()
    {
        await using var net = new ReconfiguringNetwork();
        int[] founders = [0, 1, 2, 3];

        // What each founder's chain file held at the start: its view-0 seed, and so its view-0 key (the test's knowledge, not the attacker's).
        var seeds = new Dictionary<int, byte[]>();
        var viewZeroKeys = new Dictionary<int, Ed25519PublicKey>();
        foreach (int id in founders)
        {
            byte[] file = await File.ReadAllBytesAsync(net.KeyChainFile(id), Timeout());
            seeds[id] = file.AsSpan(file.Length - 80 + 4, 32).ToArray();
            viewZeroKeys[id] = net.Genesis.InitialView.Members[id].ViewKey.Key;
        }

        var log = new LogCapture();
        net.Loggers = log;
        await using (ChainClient client = await net.ClientAsync(Timeout()))
        {
            await net.MintAsync(client, 6);
            foreach (int joiner in (int[])[4, 5, 6, 7])
            {
                try
                {
                    await net.JoinAsync(joiner, endorser: 1, Timeout());
                }
                catch (ChainClientException e)
                {
                    Assert.Fail(e.Message + "\n" + string.Join("\n", log.Lines.Where(l => l.StartsWith("replica4", StringComparison.Ordinal))));
                }
            }

            foreach (int founder in founders)
            {
                await Membership.LeaveAsync(client, net.Chain, net.Identity(founder), founder, Timeout());
                await net.Hosts[founder].Removed.WaitAsync(Timeout());
                await net.MintAsync(client, 2);
            }

            Assert.Equal([4, 5, 6, 7], client.View.Members.Select(m => m.Id));
        }

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        // The old view keys are not recoverable from the founders' files: no file holds a view-0 seed, the chain files
        // are erased, and no key the attacker can load or derive from them is any founder's view-0 key.
        var loot = new List<Ed25519KeyPair>();
        foreach (int id in founders)
        {
            foreach (string path in Directory.EnumerateFiles(net.Home(id), "*", SearchOption.AllDirectories))
            {
                byte[] bytes = await File.ReadAllBytesAsync(path, Timeout());
                Assert.True(bytes.AsSpan().IndexOf(seeds[id]) < 0, $"{path} still holds replica {id}'s view-0 seed");
            }

            using (ViewKeyChain chain = ViewKeyChain.Open(net.KeyChainFile(id)))
            {
                Assert.Equal(chain.Length, chain.Position);
                Assert.Throws<InvalidOperationException>(() => chain.KeyAt(0));
            }

            loot.Add(KeyFile.Load(net.IdentityFile(id)));
        }

        Assert.DoesNotContain(loot, k => viewZeroKeys.ContainsValue(k.PublicKey));

        // The fork: an alternative block 2, certified with everything the attacker holds, on founder 0's own ledger.
        string forkDir = Path.Combine(net.Folder, "fork");
        using (BlockStore original = BlockStore.OpenReadOnly(net.DataDir(0)))
        using (BlockStore fork = BlockStore.Open(forkDir))
        {
            fork.Append(original.Read(0));
            fork.Append(original.Read(1));
            using var thief = Ed25519KeyPair.Generate();
            SignedRequest theft = new CoinWallet(net.Chain, net.Minter, firstSequence: 1).Mint([new CoinOutput(thief.PublicKey, 1_000_000)]);
            var app = CoinApplication.ForGenesis(net.Genesis);
            Block forged = Block.Next(original.Read(1).Header, 2, [theft.Encoded], [app.ExecuteBatch(new(2, 2), [theft])[0]], ReadOnlyMemory<byte>.Empty);
            forged = forged with
            {
                Certificate = new BlockCertificate([.. founders.Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(loot[i], net.Chain, forged.Hash)))]),
            };
            Assert.NotEqual(original.Read(2).Hash, forged.Hash);
            fork.Append(forged);
            fork.Commit();

            VerifyReport report = LedgerVerifier.Verify(fork, net.Genesis, CoinApplication.ForGenesis(net.Genesis));
            Assert.Equal(2L, report.FirstBadBlock);
            Assert.StartsWith("certificate: the signature of replica 0 does not verify with its key of view 0", report.Failure, StringComparison.Ordinal);
        }

        // The honest ledgers of the members at the end verify from genesis through every reconfiguration block.
        IReadOnlyList<VerifyReport> reports = LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. new[] { 4, 5, 6, 7 }.Select(net.DataDir)]);
        Assert.All(reports, r => Assert.True(r.Passed));
        foreach (Ed25519KeyPair key in loot)
        {
            key.Dispose();
        }
    }
}
