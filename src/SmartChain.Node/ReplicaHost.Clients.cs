using System.Collections.Concurrent;
using System.Threading.Channels;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// Client links: each has its own receive loop, so requests from different clients are decoded and verified in
/// parallel on the thread pool (each digest once, cached) before the consensus loop sees them.
/// </summary>
public sealed partial class ReplicaHost
{
    private const int MaxVerifiedCache = 1 << 20;
    private readonly ConcurrentDictionary<Hash256, ClientSession> _replyTo = new();
    private readonly ConcurrentDictionary<Hash256, byte> _verified = new();
    private long _badClientInput;

    private void Track(Hash256 digest, ClientSession session) => _replyTo[digest] = session;

    // Every request is verified once per replica, whether it first arrives from its client or inside a proposal:
    // both paths share this cache of accepted digests.
    private TxCheck Verify(SignedRequest request)
    {
        if (_verified.ContainsKey(request.Digest))
        {
            return TxCheck.Ok;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TxCheck check = _machine.CheckTx(request);
        _metrics.VerificationTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (check.Accepted)
        {
            if (_verified.Count > MaxVerifiedCache)
            {
                _verified.Clear();
            }

            _verified.TryAdd(request.Digest, 0);
        }

        return check;
    }

    private async Task ClientAcceptLoopAsync()
    {
        var sessions = new List<Task>();
        try
        {
            await foreach (SecureLink link in _clientListener.Accepted.ReadAllAsync(_stop.Token))
            {
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(ClientSessionAsync(link));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(sessions);
    }

    private async Task ClientSessionAsync(SecureLink link)
    {
        var session = new ClientSession(link, _stop.Token);
        await using (session)
        {
            try
            {
                while (await link.ReceiveAsync(_stop.Token) is { } frame)
                {
                    switch (frame.Type)
                    {
                        case FrameType.Request:
                            await OnClientRequestAsync(session, frame.Payload);
                            break;
                        case FrameType.Query:
                            await OnQueryAsync(session, QueryMessage.Decode(frame.Payload.Span));
                            break;
                        default:
                            throw new LinkException($"{link.Peer} sent a {frame.Type} frame on the client port");
                    }
                }
            }
            catch (Exception e) when (e is LinkException or EncodingException)
            {
                LogSampled(ref _badClientInput, $"closed the link from {link.Peer}: {e.Message}");
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ChannelClosedException)
            {
            }
        }
    }

    private async Task OnClientRequestAsync(ClientSession session, ReadOnlyMemory<byte> payload)
    {
        SignedRequest? request = null;
        EncodingException? error = null;
        bool oversized = payload.Length > _genesis.Consensus.MaxRequestBytes;
        if (oversized || !SignedRequest.TryDecode(payload, out request, out error))
        {
            string reason = oversized
                ? $"request of {payload.Length} bytes exceeds {_genesis.Consensus.MaxRequestBytes}"
                : $"malformed request: {error?.Message}";
            LogSampled(ref _badClientInput, $"{session.Link.Peer}: {reason}");
            Reply(session, new ReplyMessage(Hash256.Compute(payload.Span), ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(reason)));
            return;
        }

        TxCheck check = Verify(request!);
        if (check.Accepted && _machine.Admit(request!) is { } refused)
        {
            check = TxCheck.Refuse((byte)Reconfiguration.State.SystemResultCode.Rejected, refused);
        }

        if (!check.Accepted)
        {
            _metrics.Rejected.Add(1);
            Reply(session, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(check.Reason ?? "refused")));
            return;
        }

        await _inputs.Writer.WriteAsync(new NodeInput.ClientRequest(request!, session), _stop.Token);
    }

    private static void Reply(ClientSession session, ReplyMessage reply) => session.Enqueue(FrameType.Reply, reply.Encode());
}
