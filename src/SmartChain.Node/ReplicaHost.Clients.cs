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
    private readonly ConcurrentDictionary<Hash256, SecureLink> _replyTo = new();
    private readonly ConcurrentDictionary<Hash256, byte> _verified = new();
    private long _badClientInput;

    private void Track(Hash256 digest, SecureLink link) => _replyTo[digest] = link;

    // Every request is verified once per replica, whether it first arrives from its client or inside a proposal:
    // both paths share this cache of accepted digests.
    private TxCheck Verify(SignedRequest request)
    {
        if (_verified.ContainsKey(request.Digest))
        {
            return TxCheck.Ok;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TxCheck check = _app.CheckTx(request);
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
        await using (link)
        {
            try
            {
                while (await link.ReceiveAsync(_stop.Token) is { } frame)
                {
                    switch (frame.Type)
                    {
                        case FrameType.Request:
                            await OnClientRequestAsync(link, frame.Payload);
                            break;
                        case FrameType.Query:
                            await _execution.Writer.WriteAsync(new ExecutionItem.Query(QueryMessage.Decode(frame.Payload.Span), link), _stop.Token);
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

    private async Task OnClientRequestAsync(SecureLink link, ReadOnlyMemory<byte> payload)
    {
        SignedRequest? request = null;
        EncodingException? error = null;
        bool oversized = payload.Length > _genesis.Consensus.MaxRequestBytes;
        if (oversized || !SignedRequest.TryDecode(payload, out request, out error))
        {
            string reason = oversized
                ? $"request of {payload.Length} bytes exceeds {_genesis.Consensus.MaxRequestBytes}"
                : $"malformed request: {error?.Message}";
            LogSampled(ref _badClientInput, $"{link.Peer}: {reason}");
            await SendReplyAsync(link, new ReplyMessage(Hash256.Compute(payload.Span), ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(reason)));
            return;
        }

        TxCheck check = Verify(request!);
        if (!check.Accepted)
        {
            _metrics.Rejected.Add(1);
            await SendReplyAsync(link, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(check.Reason ?? "refused")));
            return;
        }

        await _inputs.Writer.WriteAsync(new NodeInput.ClientRequest(request!, link), _stop.Token);
    }

    private async Task SendReplyAsync(SecureLink link, ReplyMessage reply)
    {
        try
        {
            await link.SendAsync(FrameType.Reply, reply.Encode(), _stop.Token);
        }
        catch (Exception e) when (e is IOException or LinkException or ObjectDisposedException or InvalidOperationException)
        {
            NodeLog.ReplyFailed(_log, link.Peer, e.Message);
        }
    }
}
