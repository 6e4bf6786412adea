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
                        Execute(decided.Decision);
                        break;
                    case ExecutionItem.Query query:
                        AnswerQuery(query);
                        break;
                    case ExecutionItem.Repeated repeated:
                        _replyTo.TryRemove(repeated.Request.Digest, out _);
                        Reply(repeated.Session, Repeated(repeated.Request));
                        break;
                    case ExecutionItem.Refused refused:
                        _metrics.Rejected.Add(1);
                        Reply(refused.Session, new ReplyMessage(refused.Request.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(refused.Reason)));
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private void Execute(Decision decision)
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

            if (_replyTo.TryRemove(request.Digest, out ClientSession? session))
            {
                Reply(session, reply);
            }
        }
    }

    private ReplyMessage Repeated(SignedRequest request) =>
        _replyCache.TryGetValue(request.Digest, out ReplyMessage? cached)
            ? cached with { Status = ReplyStatus.Duplicate }
            : new ReplyMessage(request.Digest, ReplyStatus.Stale, 0, "sequence below the client's highest decided one; sign again with a new sequence"u8.ToArray());

    private void AnswerQuery(ExecutionItem.Query query)
    {
        byte[] body;
        try
        {
            body = _app.Query(query.Message.Body.Span);
        }
        catch (Core.Encoding.EncodingException e)
        {
            LogSampled(ref _badClientInput, $"{query.Session.Link.Peer}: malformed query: {e.Message}");
            return;
        }

        var answer = new QueryResultMessage(query.Message.QueryId, Interlocked.Read(ref _executed), _network.ConnectedPeers, body);
        query.Session.Enqueue(FrameType.QueryResult, answer.Encode());
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
