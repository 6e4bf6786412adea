using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>
/// The Byzantine replica: its core runs as written, but what it sends is rewritten per destination according to
/// <see cref="SimulationConfig.Behaviour"/>, signed with its own key where a signature is needed, so the lies are
/// the kind a real compromised replica can tell.
/// </summary>
public sealed partial class Simulation
{
    private readonly List<(int To, byte[] Bytes)> _byzantineHistory = [];
    private SplitMix64 _evil;

    private IEnumerable<(int To, byte[] Bytes)> Outgoing(int replica, OutboundMessage outbound)
    {
        bool byzantine = replica == _config.ByzantineReplica;
        byte[] honest = MessageCodec.Encode(outbound.Message);
        if (byzantine && Mutating)
        {
            foreach ((int To, byte[] Bytes) mutated in Mutated(replica, outbound, honest))
            {
                yield return mutated;
            }

            yield break;
        }

        for (int j = 0; j < _replicas.Length; j++)
        {
            if (j == replica || (outbound.To is not null && outbound.To != j))
            {
                continue;
            }

            if (!byzantine)
            {
                yield return (j, honest);
                continue;
            }

            ConsensusMessage? lie = Lie(replica, j, outbound.Message);
            if (lie is null)
            {
                continue;
            }

            byte[] bytes = ReferenceEquals(lie, outbound.Message) ? honest : MessageCodec.Encode(lie);
            _byzantineHistory.Add((j, bytes));
            yield return (j, bytes);
            if (_config.Behaviour == ByzantineBehaviour.Replay && _evil.Chance(0.3) && _byzantineHistory.Count > 1)
            {
                (int _, byte[] old) = _byzantineHistory[(int)_evil.NextBelow((ulong)_byzantineHistory.Count)];
                yield return ((int)_evil.NextBelow((ulong)_replicas.Length) is int to && to != replica ? to : j, old);
            }
        }
    }

    private ConsensusMessage? Lie(int me, int to, ConsensusMessage message)
    {
        bool some = to % 2 == 1;
        Ed25519KeyPair key = _replicaKeys[me];
        switch (_config.Behaviour, message)
        {
            case (ByzantineBehaviour.Equivocate, Propose p) when some:
                return p.Batch.Count >= 2 ? p with { Batch = [.. p.Batch.Reverse()] } : null;
            case (ByzantineBehaviour.Silent, Propose p):
                // Censorship: the first client's requests are never proposed; the others' are.
                SignedRequest[] kept = [.. p.Batch.Where(r => r.Client != _clients[0].Key.PublicKey)];
                return kept.Length == 0 ? null : kept.Length == p.Batch.Count ? p : p with { Batch = kept };
            case (ByzantineBehaviour.InvalidProposal, Propose p) when some:
                byte[] forged = p.Batch[0].Encoded.ToArray();
                forged[^(Ed25519.SignatureSize + 1)] ^= 1; // the operation's last byte: the client's signature no longer matches
                return p with { Batch = [SignedRequest.Decode(forged), .. p.Batch.Skip(1)] };
            case (ByzantineBehaviour.ConflictingVotes, Write w) when some:
                Hash256 other = Hash256.Compute([.. w.BatchHash.ToArray(), 1]);
                return w with { BatchHash = other, Signature = key.Sign(WriteStatement.Encode(ChainId, w.ViewId, w.Instance, w.Regency, other)) };
            case (ByzantineBehaviour.ConflictingVotes, Accept a) when some:
                Hash256 another = Hash256.Compute([.. a.BatchHash.ToArray(), 2]);
                return a with { BatchHash = another, Signature = key.Sign(AcceptStatement.Encode(ChainId, a.ViewId, a.Instance, a.Regency, another)) };
            case (ByzantineBehaviour.ForgeLeaderChange, Sync s):
                SignedRequest? any = _submitted.Values.FirstOrDefault();
                return s.Batch.Count > 0 ? s with { Batch = [] } : any is null ? s : s with { Batch = [any] };
            case (ByzantineBehaviour.ForgeLeaderChange, StopData d):
                byte[] badSignature = d.Signature.ToArray();
                badSignature[0] ^= 1;
                return d with { Signature = badSignature };
            default:
                return message;
        }
    }
}
