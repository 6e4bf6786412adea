using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>
/// The mutating Byzantine replica (<see cref="ByzantineBehaviour.Mutate"/>): every message its core sends may be
/// rewritten field by field over the whole range of each field, re-signed with its own view key where the message
/// carries its signature (so the signature verifies and the content lies), and anything it has seen, from anyone,
/// may be replayed to anyone. Only what the codec can encode is sent: a lie the wire format cannot carry is not one a
/// peer can receive.
/// </summary>
public sealed partial class Simulation
{
    private const int SeenKept = 2_048;
    private readonly List<byte[]> _seen = [];
    private int _seenNext;

    /// <summary>Messages the mutating replica sent that the codec could not encode (sent honest instead).</summary>
    private long _unencodable;

    /// <summary>Mutated messages the mutating replica sent.</summary>
    private long _lies;

    /// <summary>Packets from a faulty replica that did not decode and were dropped.</summary>
    private long _undecodable;

    private bool Mutating => _config.Behaviour == ByzantineBehaviour.Mutate;

    private void Saw(byte[] bytes)
    {
        if (_seen.Count < SeenKept)
        {
            _seen.Add(bytes);
            return;
        }

        _seen[_seenNext] = bytes;
        _seenNext = (_seenNext + 1) % SeenKept;
    }

    private IEnumerable<(int To, byte[] Bytes)> Mutated(int replica, OutboundMessage outbound, byte[] honest)
    {
        Saw(honest);
        for (int j = 0; j < _replicas.Length; j++)
        {
            if (j == replica || (outbound.To is not null && outbound.To != j))
            {
                continue;
            }

            byte[] bytes = honest;
            if (_evil.Chance(_config.MutateProbability))
            {
                ConsensusMessage lie = Mutate(replica, outbound.Message);
                if (_evil.Chance(0.5))
                {
                    lie = Resign(replica, lie);
                }

                bytes = TryEncode(lie) ?? honest;
                _lies += ReferenceEquals(bytes, honest) ? 0 : 1;
            }

            yield return (j, bytes);
            if (_evil.Chance(0.2) && _seen.Count > 0)
            {
                int to = (int)_evil.NextBelow((ulong)_replicas.Length);
                yield return (to == replica ? j : to, _seen[(int)_evil.NextBelow((ulong)_seen.Count)]);
            }
        }
    }

    private byte[]? TryEncode(ConsensusMessage message)
    {
        try
        {
            return MessageCodec.Encode(message);
        }
        catch (Exception e) when (e is EncodingException or ArgumentException or OverflowException)
        {
            _unencodable++;
            return null;
        }
    }

    private ConsensusMessage Mutate(int me, ConsensusMessage message) => _evil.NextBelow(6) switch
    {
        0 => message with { Regency = AnyInt(message.Regency) },
        1 => message with { Instance = AnyLong(message.Instance) },
        2 => message with { ViewId = AnyLong(message.ViewId) },
        _ => Content(me, message),
    };

    private ConsensusMessage Content(int me, ConsensusMessage message) => message switch
    {
        Propose p => p with { Batch = AnyBatch(p.Batch) },
        Forward f => f with { Batch = AnyBatch(f.Batch) },
        Write w => w with { BatchHash = AnyHash(w.BatchHash), Signature = AnySignature(w.Signature) },
        Accept a => a with { BatchHash = AnyHash(a.BatchHash), Signature = AnySignature(a.Signature) },
        StopData d => AnyStopData(d),
        Sync s => _evil.Chance(0.5) ? s with { StopDatas = AnyList(s.StopDatas, x => (AnyInt(x.From), AnyStopData(x.Data))) } : s with { Batch = AnyBatch(s.Batch) },
        DecisionMessage m => AnyDecision(m),
        _ => message with { Regency = AnyInt(message.Regency), Instance = AnyLong(message.Instance) },
    };

    // Re-signs what carries the sender's own signature, with its own valid key: verifies, and lies.
    private ConsensusMessage Resign(int me, ConsensusMessage message)
    {
        Ed25519KeyPair key = _replicaKeys[me];
        return message switch
        {
            Write w => w with { Signature = key.Sign(WriteStatement.Encode(ChainId, w.ViewId, w.Instance, w.Regency, w.BatchHash)) },
            Accept a => a with { Signature = key.Sign(AcceptStatement.Encode(ChainId, a.ViewId, a.Instance, a.Regency, a.BatchHash)) },
            StopData d => d with { Signature = key.Sign(StopData.Statement(ChainId, d.ViewId, d.Instance, d.Regency, d.Certificate)) },
            _ => message,
        };
    }

    private StopData AnyStopData(StopData d) => _evil.NextBelow(5) switch
    {
        0 => d with { LastDecision = d.LastDecision is null ? null : AnyDecision(d.LastDecision) },
        1 => d with { LastDecision = null },
        2 => d with { Certificate = null },
        3 => d with { Certificate = d.Certificate is null ? null : AnyCertificate(d.Certificate) },
        _ => d with { Regency = AnyInt(d.Regency), Instance = AnyLong(d.Instance) },
    };

    private WriteCertificate AnyCertificate(WriteCertificate c) => _evil.NextBelow(5) switch
    {
        0 => c with { Writes = AnyList(c.Writes, w => (AnyInt(w.ReplicaId), w.Signature)) },
        1 => c with { Batch = AnyBatch(c.Batch) },
        2 => c with { BatchHash = AnyHash(c.BatchHash) },
        3 => c with { Regency = AnyInt(c.Regency) },
        _ => c with { Instance = AnyLong(c.Instance) },
    };

    private DecisionMessage AnyDecision(DecisionMessage m) => _evil.NextBelow(3) switch
    {
        0 => m with { Proof = new DecisionProof(AnyList(m.Proof.Votes, v => new AcceptVote(AnyInt(v.ReplicaId), v.Signature))) },
        1 => m with { Batch = AnyBatch(m.Batch) },
        _ => m with { Regency = AnyInt(m.Regency), Instance = AnyLong(m.Instance) },
    };

    private SignedRequest[] AnyBatch(IReadOnlyList<SignedRequest> batch)
    {
        SignedRequest Any() => _submitted.Count == 0 ? batch[0] : _submitted.Values.ElementAt((int)_evil.NextBelow((ulong)_submitted.Count));
        if (batch.Count == 0 && _submitted.Count == 0)
        {
            return [];
        }

        return _evil.NextBelow(6) switch
        {
            0 => [],
            1 => [.. batch.Take(batch.Count / 2)], // truncated
            2 => [.. batch, Any()], // extended, perhaps with a request decided long ago
            3 => [.. Enumerable.Range(0, _config.MaxBatch + (int)_evil.NextBelow(2)).Select(_ => Any())], // maximal, or one beyond
            4 => batch.Count == 0 ? [Any()] : [.. batch, batch[0]], // a request twice
            _ => [.. batch.Reverse()], // reordered: another hash
        };
    }

    // Empty, maximal (every entry repeated to the view's size, or far beyond), duplicated entries, an entry rewritten.
    private T[] AnyList<T>(IReadOnlyList<T> list, Func<T, T> rewrite)
    {
        if (list.Count == 0)
        {
            return [];
        }

        return _evil.NextBelow(5) switch
        {
            0 => [],
            1 => [.. list, list[0]], // a signer twice
            2 => [.. Enumerable.Repeat(list[(int)_evil.NextBelow((ulong)list.Count)], _view.N + (int)_evil.NextBelow(3))], // one signer, Q times over
            3 => [.. list.Take(list.Count - 1)],
            _ => [.. list.Select((x, i) => i == 0 ? rewrite(x) : x)],
        };
    }

    private int AnyInt(int value) => _evil.NextBelow(10) switch
    {
        0 => 0,
        1 => -1,
        2 => int.MaxValue,
        3 => int.MinValue,
        4 => unchecked(value + 1),
        5 => unchecked(value - 1),
        6 => unchecked(value + 1_000_000),
        7 => unchecked(value - 1_000),
        8 => unchecked(value + 2),
        _ => (int)_evil.NextBelow(64),
    };

    private long AnyLong(long value) => _evil.NextBelow(10) switch
    {
        0 => 0,
        1 => -1,
        2 => long.MaxValue,
        3 => long.MinValue,
        4 => unchecked(value + 1),
        5 => unchecked(value - 1),
        6 => unchecked(value + 1_000_000_000_000),
        7 => unchecked(value - 1_000),
        8 => unchecked(value + 2),
        _ => (long)_evil.NextBelow(64),
    };

    private Hash256 AnyHash(Hash256 hash) =>
        _evil.Chance(0.5) ? Hash256.Zero : Hash256.Compute([.. hash.ToArray(), (byte)_evil.NextBelow(256)]);

    private ReadOnlyMemory<byte> AnySignature(ReadOnlyMemory<byte> signature)
    {
        byte[] bytes = signature.ToArray();
        if (bytes.Length > 0)
        {
            bytes[(int)_evil.NextBelow((ulong)bytes.Length)] ^= (byte)(1 + _evil.NextBelow(255));
        }

        return bytes; // a bad signature, unless re-signed afterwards
    }
}
