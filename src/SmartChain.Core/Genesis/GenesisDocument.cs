using System.Buffers;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Views;

namespace SmartChain.Core.Genesis;

/// <summary>
/// A validated genesis: the chain id, the initial view with every member's key chain, the persistence mode, the
/// ordering and reconfiguration parameters, the checkpoint period and SMaRtCoin's minters and join policy. Stored as readable JSON (<see cref="GenesisJson"/>); identified by
/// <see cref="Hash"/>, the SHA-256 of its canonical encoding, so formatting of the JSON never matters.
/// </summary>
public sealed class GenesisDocument
{
    /// <summary>Version of the genesis format this code reads and writes.</summary>
    public const int CurrentFormat = 2;

    /// <summary>Default number of blocks between checkpoints.</summary>
    public const long DefaultCheckpointPeriod = 1000;

    /// <summary>
    /// Creates a genesis from parts that are already valid; use <see cref="GenesisJson"/> to read one.
    /// <paramref name="viewKeys"/> holds every member's key-chain public keys (the replicated state needs them to give
    /// members their keys of later views); a member left out must have a chain of one key, its view-0 key.
    /// </summary>
    /// <exception cref="ArgumentException">A member's keys do not match the key chain its identity commits to.</exception>
    public GenesisDocument(string chainId, PersistenceMode persistence, View initialView, ConsensusParameters consensus,
        long checkpointPeriod, IReadOnlyList<Ed25519PublicKey> minters, IReadOnlyDictionary<int, IReadOnlyList<Ed25519PublicKey>>? viewKeys = null,
        ReconfigurationParameters? reconfiguration = null, JoinPolicyMode joinPolicy = JoinPolicyMode.EndorsementOrAllowList,
        IReadOnlyList<Ed25519PublicKey>? joinAllowList = null)
    {
        ArgumentNullException.ThrowIfNull(initialView);
        ArgumentNullException.ThrowIfNull(consensus);
        ArgumentNullException.ThrowIfNull(minters);
        ChainId = chainId;
        Persistence = persistence;
        InitialView = initialView;
        Consensus = consensus;
        CheckpointPeriod = checkpointPeriod;
        Minters = minters;
        ViewKeys = KeysOf(initialView, viewKeys);
        Reconfiguration = reconfiguration ?? ReconfigurationParameters.Default;
        JoinPolicy = joinPolicy;
        JoinAllowList = joinAllowList ?? [];
        Hash = Hash256.Compute(Encode());
    }

    /// <summary>The network's name, inside every signed request.</summary>
    public string ChainId { get; }

    /// <summary>Strong or weak persistence.</summary>
    public PersistenceMode Persistence { get; }

    /// <summary>View 0.</summary>
    public View InitialView { get; }

    /// <summary>Batch, request and timeout parameters.</summary>
    public ConsensusParameters Consensus { get; }

    /// <summary>Blocks between checkpoints.</summary>
    public long CheckpointPeriod { get; }

    /// <summary>Public keys allowed to MINT in SMaRtCoin.</summary>
    public IReadOnlyList<Ed25519PublicKey> Minters { get; }

    /// <summary>Every genesis member's key-chain public keys, by replica id (key i belongs to view i).</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<Ed25519PublicKey>> ViewKeys { get; }

    /// <summary>Join and exclusion expiries.</summary>
    public ReconfigurationParameters Reconfiguration { get; }

    /// <summary>SMaRtCoin's join policy.</summary>
    public JoinPolicyMode JoinPolicy { get; }

    /// <summary>Identity keys SMaRtCoin's join policy admits without an endorsement.</summary>
    public IReadOnlyList<Ed25519PublicKey> JoinAllowList { get; }

    /// <summary>SHA-256 of <see cref="Encode"/>.</summary>
    public Hash256 Hash { get; }

    /// <summary>
    /// The canonical encoding that <see cref="Hash"/> covers: u8 format, chain id, u8 persistence, view, five i32
    /// consensus parameters, i64 request window, i64 checkpoint period, minter count and keys in the order listed, u8 join policy, allow-list
    /// count and keys, i64 join expiry, i64 exclusion expiry, and per member in id order: i32 id, key count, keys.
    /// </summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var writer = new CanonicalWriter(buffer);
        writer.WriteUInt8(CurrentFormat);
        writer.WriteString(ChainId, Limits.MaxChainIdBytes);
        writer.WriteUInt8((byte)Persistence);
        InitialView.WriteTo(ref writer);
        writer.WriteInt32(Consensus.MaxBatch);
        writer.WriteInt32(Consensus.MaxBatchBytes);
        writer.WriteInt32(Consensus.MaxRequestBytes);
        writer.WriteInt32(Consensus.TickMs);
        writer.WriteInt32(Consensus.RequestTimeoutMs);
        writer.WriteInt64(Consensus.RequestWindow);
        writer.WriteInt64(CheckpointPeriod);
        writer.WriteCount(Minters.Count, Limits.MaxMinters);
        foreach (Ed25519PublicKey minter in Minters)
        {
            minter.WriteTo(ref writer);
        }

        writer.WriteUInt8((byte)JoinPolicy);
        writer.WriteCount(JoinAllowList.Count, Limits.MaxMinters);
        foreach (Ed25519PublicKey key in JoinAllowList)
        {
            key.WriteTo(ref writer);
        }

        writer.WriteInt64(Reconfiguration.JoinExpiryInstances);
        writer.WriteInt64(Reconfiguration.ExclusionExpiryInstances);
        writer.WriteCount(InitialView.N, Limits.MaxViewMembers);
        foreach (ReplicaMember member in InitialView.Members)
        {
            IReadOnlyList<Ed25519PublicKey> keys = ViewKeys[member.Id];
            writer.WriteInt32(member.Id);
            writer.WriteCount(keys.Count, KeyChainCommitment.MaxLength);
            foreach (Ed25519PublicKey key in keys)
            {
                key.WriteTo(ref writer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Dictionary<int, IReadOnlyList<Ed25519PublicKey>> KeysOf(View view, IReadOnlyDictionary<int, IReadOnlyList<Ed25519PublicKey>>? given)
    {
        var keys = new Dictionary<int, IReadOnlyList<Ed25519PublicKey>>();
        foreach (ReplicaMember member in view.Members)
        {
            IReadOnlyList<Ed25519PublicKey> chain = given is not null && given.TryGetValue(member.Id, out var listed) ? listed
                : member.Chain.Length == 1 ? [member.ViewKey.Key]
                : throw new ArgumentException($"replica {member.Id}: the public keys of its key chain of {member.Chain.Length} are missing");
            if (chain.Count is < 1 or > KeyChainCommitment.MaxLength || KeyChainCommitment.Create(chain, member.Chain.FirstView) != member.Chain)
            {
                throw new ArgumentException($"replica {member.Id}: its view keys do not hash to the key chain its identity commits to");
            }

            keys.Add(member.Id, chain);
        }

        return keys;
    }
}
