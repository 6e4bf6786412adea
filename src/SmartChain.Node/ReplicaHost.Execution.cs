using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// The execution loop: decisions in instance order (logged and fsynced first, then executed, then replied to),
/// queries between batches, and answers to repeated requests from a bounded reply cache.
/// </summary>
public sealed partial class ReplicaHost
{
    private const int ReplyCacheSize = 200_000;
    private readonly Dictionary<Hash256, ReplyMessage> _replyCache = [];
    private readonly Queue<Hash256> _replyOrder = new();

    private async Task ExecutionLoopAsync()
    {
        try
        {
            await foreach (ExecutionItem item in _execution.Reader.ReadAllAsync(_stop.Token))
            {
                switch (item)
                {
                    case ExecutionItem.Decided decided:
                        await ExecuteAsync(decided.Decision);
                        break;
                    case ExecutionItem.Query query:
                        await AnswerQueryAsync(query);
                        break;
                    case ExecutionItem.Repeated repeated:
                        await AnswerRepeatedAsync(repeated.Request, repeated.Link);
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private async Task ExecuteAsync(Decision decision)
    {
        _decisionLog.Append(decision);
        var fresh = new List<SignedRequest>(decision.Batch.Count);
        for (int j = 0; j < decision.Batch.Count; j++)
        {
            if (decision.Fresh[j])
            {
                fresh.Add(decision.Batch[j]);
            }
        }

        IReadOnlyList<byte[]> results = _app.ExecuteBatch(new BatchContext(decision.Instance, decision.Instance), fresh);
        _metrics.DecidedInstances.Add(1);
        _metrics.BatchSize.Record(decision.Batch.Count);
        _metrics.Executed.Add(fresh.Count);
        Interlocked.Exchange(ref _executed, decision.Instance);
        int next = 0;
        for (int j = 0; j < decision.Batch.Count; j++)
        {
            SignedRequest request = decision.Batch[j];
            ReplyMessage reply;
            if (decision.Fresh[j])
            {
                reply = new ReplyMessage(request.Digest, ReplyStatus.Executed, decision.Instance, results[next++]);
                Cache(reply);
            }
            else
            {
                reply = Repeated(request);
            }

            if (_replyTo.TryRemove(request.Digest, out SecureLink? link))
            {
                await SendReplyAsync(link, reply);
            }
        }
    }

    private ReplyMessage Repeated(SignedRequest request) =>
        _replyCache.TryGetValue(request.Digest, out ReplyMessage? cached)
            ? cached with { Status = ReplyStatus.Duplicate }
            : new ReplyMessage(request.Digest, ReplyStatus.Stale, 0, "sequence below the client's highest decided one; sign again with a new sequence"u8.ToArray());

    private async Task AnswerRepeatedAsync(SignedRequest request, SecureLink link)
    {
        _replyTo.TryRemove(request.Digest, out _);
        await SendReplyAsync(link, Repeated(request));
    }

    private async Task AnswerQueryAsync(ExecutionItem.Query query)
    {
        byte[] body;
        try
        {
            body = _app.Query(query.Message.Body.Span);
        }
        catch (Core.Encoding.EncodingException e)
        {
            LogSampled(ref _badClientInput, $"{query.Link.Peer}: malformed query: {e.Message}");
            return;
        }

        var answer = new QueryResultMessage(query.Message.QueryId, Interlocked.Read(ref _executed), _network.ConnectedPeers, body);
        try
        {
            await query.Link.SendAsync(FrameType.QueryResult, answer.Encode(), _stop.Token);
        }
        catch (Exception e) when (e is IOException or LinkException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void Cache(ReplyMessage reply)
    {
        if (_replyCache.TryAdd(reply.Digest, reply))
        {
            _replyOrder.Enqueue(reply.Digest);
            while (_replyOrder.Count > ReplyCacheSize)
            {
                _replyCache.Remove(_replyOrder.Dequeue());
            }
        }
    }
}
