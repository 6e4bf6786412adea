using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// A simulated client: a minter that sends MINT requests one at a time to every replica it can reach and counts one
/// acknowledged once Q replicas sent matching replies, or one reply carries a receipt that verifies from genesis (the
/// client's own <see cref="ReceiptChecker"/>). It resends over fresh links after a virtual second without an answer,
/// as a real client would after a broken link. What it acknowledged is what the run's checks hold the ledgers to.
/// </summary>
internal sealed class SimClient(int index, GenesisDocument genesis, Ed25519KeyPair key, SimNetwork network, Func<int, Ed25519PublicKey> replicaKey,
    TimeProvider time)
{
    private readonly ReceiptChecker _receipts = new(genesis, new Ledger.Reconfiguration.ViewHistory(genesis.InitialView));
    private readonly Dictionary<int, SimFrameLink> _links = [];
    private readonly Dictionary<int, ReplyMessage> _answers = [];
    private Hash256 _waitingFor;
    private TaskCompletionSource<ReplyMessage>? _done;
    private ulong _sequence;

    /// <summary>Requests acknowledged: digest, block and instance the answer named.</summary>
    public List<(Hash256 Digest, long Block, long Instance)> Acknowledged { get; } = [];

    /// <summary>Receipts that did not verify (must stay empty), with why.</summary>
    public List<string> BadReceipts { get; } = [];

    /// <summary>Sends one request and waits (in virtual time) for its acknowledgement; returns when it came, or null at <paramref name="deadline"/>.</summary>
    public async Task<long?> SubmitAsync(long deadline, CancellationToken cancellationToken)
    {
        SignedRequest request = SignedRequest.Create(genesis.ChainId, key, ++_sequence, 0,
            CoinOperation.Mint([new CoinOutput(key.PublicKey, (ulong)_sequence)]).Encode());
        _waitingFor = request.Digest;
        _answers.Clear();
        _done = new TaskCompletionSource<ReplyMessage>(); // completed on the simulator's thread: WaitAsync continues there too
        ReadOnlyMemory<byte> bytes = request.Encoded;
        while (time.GetTimestamp() < deadline)
        {
            for (int r = 0; r < genesis.InitialView.Members.Count; r++)
            {
                if (Link(r) is { } link)
                {
                    await link.SendAsync(FrameType.Request, bytes, flush: true, cancellationToken);
                }
            }

            try
            {
                ReplyMessage reply = await _done.Task.WaitAsync(TimeSpan.FromSeconds(1), time, cancellationToken);
                Acknowledged.Add((reply.Digest, reply.Block, reply.Instance));
                return time.GetTimestamp();
            }
            catch (TimeoutException)
            {
            }
        }

        return null;
    }

    private SimFrameLink? Link(int replica)
    {
        if (_links.TryGetValue(replica, out SimFrameLink? link) && !link.Closed)
        {
            return link;
        }

        if (network.PortOf(replica) is not { } port)
        {
            return null;
        }

        link = port.Connect(100 + (10 * index) + replica, key.PublicKey, replicaKey(replica));
        _links[replica] = link;
        _ = ReceiveAsync(replica, link);
        return link;
    }

    private async Task ReceiveAsync(int replica, SimFrameLink link)
    {
        try
        {
            while (await link.ReceiveAsync(CancellationToken.None) is { } frame)
            {
                if (frame.Type == FrameType.Reply)
                {
                    Offer(replica, ReplyMessage.Decode(frame.Payload.Span));
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    private void Offer(int replica, ReplyMessage reply)
    {
        if (reply.Digest != _waitingFor || _done is not { } done || reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate))
        {
            return;
        }

        if (!reply.Receipt.IsEmpty)
        {
            if (_receipts.Check(reply) is { } problem)
            {
                BadReceipts.Add($"replica {replica}, block {reply.Block}: {problem}");
                return;
            }

            done.TrySetResult(reply);
            return;
        }

        _answers[replica] = reply;
        int q = Quorums.Quorum(genesis.InitialView.Members.Count);
        foreach (ReplyMessage answer in _answers.Values)
        {
            if (_answers.Values.Count(a => a.Matches(answer)) >= q)
            {
                done.TrySetResult(answer);
                return;
            }
        }
    }
}
