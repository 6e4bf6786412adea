using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>The invariants and the clients.</summary>
public sealed partial class Simulation
{
    private sealed class SimClient(int endpoint, Ed25519KeyPair key)
    {
        public int Endpoint { get; } = endpoint;

        public Ed25519KeyPair Key { get; } = key;

        public ulong NextSequence { get; set; } = 1;

        /// <summary>Operations started; each is decided fresh exactly once, perhaps after re-issues.</summary>
        public int Operations { get; set; }

        public Dictionary<Hash256, (SignedRequest Request, long SentAt)> Outstanding { get; } = [];
    }

    private void OnDecision(int replica, Decision decision)
    {
        if (replica == _config.ByzantineReplica || replica == _config.TwinReplica)
        {
            return; // what a Byzantine replica believes is not covered by the invariants
        }

        if (decision.Instance != _delivered[replica] + 1)
        {
            Fail($"replica {replica} delivered instance {decision.Instance} after {_delivered[replica]}");
            return;
        }

        _delivered[replica] = decision.Instance;
        if (_decidedHash.TryGetValue(decision.Instance, out Hash256 agreed))
        {
            if (agreed != decision.BatchHash)
            {
                Fail($"agreement violated: instance {decision.Instance} decided {agreed} and {decision.BatchHash} (replica {replica})");
                return;
            }
        }
        else
        {
            _decidedHash[decision.Instance] = decision.BatchHash;
        }

        if (BatchHash.Compute(decision.Batch) != decision.BatchHash ||
            decision.Proof.Verify(_view, ChainId, decision.Instance, decision.Regency, decision.BatchHash) is { } bad)
        {
            Fail($"replica {replica} decided instance {decision.Instance} with an invalid proof");
            return;
        }

        for (int j = 0; j < decision.Batch.Count; j++)
        {
            SignedRequest request = decision.Batch[j];
            if (!_submitted.ContainsKey(request.Digest))
            {
                Fail($"validity violated: replica {replica} decided {request}, which no client signed");
                return;
            }

            if (decision.Fresh[j])
            {
                if (!_freshSeen[replica].Add((request.Client, request.Sequence)))
                {
                    Fail($"replica {replica} decided {request} twice");
                    return;
                }

                _freshEver.Add(request.Digest);
                if (Count(_decidedBy, request.Digest) == _view.Q)
                {
                    Completed(request);
                }
            }
            else if (!_freshEver.Contains(request.Digest) && Count(_staleBy, request.Digest) == _view.Q)
            {
                // Decided below the client's highest sequence (it overtook an earlier one): never executed. A real
                // client hears "stale" and signs the operation again with a new sequence.
                Reissue(request);
            }
        }
    }

    private static int Count(Dictionary<Hash256, int> counts, Hash256 digest)
    {
        int count = counts.GetValueOrDefault(digest) + 1;
        counts[digest] = count;
        return count;
    }

    // A client learns its request is done from Q matching replies; here, when Q replicas decided it.
    private void Completed(SignedRequest request)
    {
        foreach (SimClient client in _clients)
        {
            if (client.Outstanding.Remove(request.Digest))
            {
                FillWindow(client);
                return;
            }
        }
    }

    // The replica's answer to a request below the client's highest decided sequence that it never executed.
    private void StaleReply(int replica, SignedRequest request)
    {
        if (!_staleReplies.TryGetValue(request.Digest, out HashSet<int>? replicas))
        {
            replicas = [];
            _staleReplies.Add(request.Digest, replicas);
        }

        if (replicas.Add(replica) && replicas.Count == _view.Q)
        {
            Reissue(request);
        }
    }

    private void Reissue(SignedRequest stale)
    {
        foreach (SimClient client in _clients)
        {
            if (client.Outstanding.Remove(stale.Digest))
            {
                SignedRequest again = SignedRequest.Create(ChainId, client.Key, client.NextSequence++, 0, stale.Operation.Span);
                _submitted.Add(again.Digest, again);
                client.Outstanding.Add(again.Digest, (again, _now));
                SendToAll(client, again);
                return;
            }
        }
    }

    private void FillWindow(SimClient client)
    {
        while (client.Outstanding.Count < _config.ClientWindow && client.Operations < _config.RequestsPerClient)
        {
            byte[] operation = BitConverter.GetBytes(++client.Operations * 7919);
            SignedRequest request = SignedRequest.Create(ChainId, client.Key, client.NextSequence++, 0, operation);
            _submitted.Add(request.Digest, request);
            client.Outstanding.Add(request.Digest, (request, _now));
            SendToAll(client, request);
        }
    }

    private void RetryClients()
    {
        foreach (SimClient client in _clients)
        {
            foreach ((Hash256 digest, (SignedRequest request, long sentAt)) in client.Outstanding.ToList())
            {
                if (_now - sentAt >= _config.ClientRetryMs)
                {
                    client.Outstanding[digest] = (request, _now);
                    SendToAll(client, request);
                }
            }
        }
    }

    private void SendToAll(SimClient client, SignedRequest request)
    {
        byte[] bytes = request.Encoded.ToArray();
        for (int i = 0; i < _replicas.Length; i++)
        {
            SendToReplica(client.Endpoint, i, bytes);
        }
    }

    private bool AllDecidedEverywhere()
    {
        int total = _config.Clients * _config.RequestsPerClient;

        for (int i = 0; i < _freshSeen.Length; i++)
        {
            if (!_config.IsFaulty(i) && _freshSeen[i].Count < total)
            {
                return false;
            }
        }

        return true;
    }
}
