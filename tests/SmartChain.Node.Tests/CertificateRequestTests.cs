using System.Net;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// Issue 15 through the real path (TCP, SecureLink, the block store on disk, Ed25519): a replica asked for a block it
/// holds certified answers with the certificate it stored, which verifies on its own with the view's keys, whether asked
/// for the certificate or (as a restarted replica does) for a signature. That is what lets a replica holding a block of
/// a view the members have left be certified at all: their keys of that view are erased, and a stored certificate need
/// not hold its keeper's own signature. A malformed request is dropped and the replica keeps answering.
/// </summary>
public class CertificateRequestTests
{
    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_replica_asked_for_a_block_answers_with_its_stored_certificate_which_verifies_with_the_views_keys()
    {
        await using var net = new InProcessNetwork(persistence: Core.Genesis.PersistenceMode.Strong);
        await MintAsync(net, count: 2);
        long head = net.Hosts[0]!.CommittedHeight;
        foreach (ReplicaHost host in net.Hosts.Select(h => h!))
        {
            await host.WaitForCertifiedAsync(head, Timeout());
        }

        // Replica 2's identity is the test's now; its own store says what block 1 is.
        await net.StopAsync(2);
        Hash256 first;
        Hash256 second;
        using (BlockStore store = BlockStore.OpenReadOnly(net.DataDir(2)))
        {
            (first, second) = (store.Read(1).Hash, store.Read(2).Hash);
        }

        // Each direction of a pair has its own connection: the test sends on its link to replica 3 and reads the answers
        // on the link replica 3 opens to replica 2's port, where the test listens now.
        ReplicaMember two = net.Genesis.InitialView.Members[2];
        ReplicaMember three = net.Genesis.InitialView.Members[3];
        var credentials = new LinkCredentials(2, net.ReplicaKeys[2]);
        await using var listener = new LinkListener(new IPEndPoint(IPAddress.Parse(two.Host), two.Port), net.Chain, credentials,
            LinkAuthorization.ReplicasOf(net.Genesis.InitialView), LinkOptions.Default, (_, _) => { });
        await using SecureLink link = await SecureLink.ConnectAsync(three.Host, three.Port, net.Chain, credentials, new PeerIdentity(3, three.PublicKey),
            LinkOptions.Default, Timeout());
        await using var answers = new AnswerReader(listener);

        // Garbage first: dropped (logged), and the link and the ledger loop go on. Then the request, repeated until replica
        // 3 has reconnected to replica 2's port (what it sent before went to the stopped replica), as a replica asks again.
        await link.SendAsync(FrameType.BlockCertificate, new byte[] { 1, 2, 3 }, flush: true, Timeout());
        byte[] ask = new BlockCertificateMessage(1, first, Certificate: null).Encode();
        await answers.AcceptThreeAsync(() => link.SendAsync(FrameType.BlockCertificate, ask, flush: true, Timeout()).AsTask());
        await link.SendAsync(FrameType.BlockCertificate, ask, flush: true, Timeout()); // answered on the link just accepted
        AssertCertifies(await answers.NextCertificateAsync(1), net, first);

        // A restarted replica's request: its signature (here not a valid one, ignored for a block certified there) with Wants.
        await link.SendAsync(FrameType.BlockSignature, new BlockSignatureMessage(2, second, new byte[Ed25519.SignatureSize], Wants: true).Encode(), flush: true, Timeout());
        AssertCertifies(await answers.NextCertificateAsync(2), net, second);
    }

    private static void AssertCertifies(BlockCertificateMessage answer, InProcessNetwork net, Hash256 header)
    {
        Assert.Equal(header, answer.HeaderHash);
        Assert.NotNull(answer.Certificate);
        Assert.Null(answer.Certificate.Verify(net.Genesis.InitialView, net.Chain, header));
    }

    // Reads replica 3's link to replica 2's port; replicas 0 and 1 connect too, and all of them send consensus traffic.
    private sealed class AnswerReader(LinkListener listener) : IAsyncDisposable
    {
        private readonly List<SecureLink> _others = [];
        private SecureLink? _three;

        // Asks each half second until replica 3's link to replica 2's port is accepted (asking makes it find the old one dead).
        public async Task AcceptThreeAsync(Func<Task> ask)
        {
            CancellationToken timeout = Timeout(20);
            while (_three is null)
            {
                await ask();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout);
                wait.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    while (_three is null)
                    {
                        SecureLink accepted = await listener.Accepted.ReadAsync(wait.Token);
                        if (accepted.Peer.ReplicaId == 3)
                        {
                            _three = accepted;
                        }
                        else
                        {
                            _others.Add(accepted);
                        }
                    }
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                }
            }
        }

        // The next certificate of block `block`; anything else replica 3 sends (consensus traffic, earlier answers) is skipped.
        public async Task<BlockCertificateMessage> NextCertificateAsync(long block)
        {
            CancellationToken timeout = Timeout(20);
            try
            {
                while (await _three!.ReceiveAsync(timeout) is { } frame)
                {
                    if (frame.Type == FrameType.BlockCertificate && BlockCertificateMessage.Decode(frame.Payload.Span) is { } answer && answer.Block == block)
                    {
                        return answer;
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Assert.Fail($"replica 3 sent no certificate of block {block} within 20 s");
            }

            throw new InvalidOperationException("replica 3 closed its link before a certificate came");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (SecureLink other in _others)
            {
                await other.DisposeAsync();
            }

            if (_three is not null)
            {
                await _three.DisposeAsync();
            }
        }
    }

    private static async Task MintAsync(InProcessNetwork net, int count)
    {
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)41, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout())).Status);
        }
    }
}
