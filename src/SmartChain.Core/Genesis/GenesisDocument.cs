using System.Buffers;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Views;

namespace SmartChain.Core.Genesis;

/// <summary>
/// A validated genesis: the chain id, the initial view, the persistence mode, the ordering parameters, the
/// checkpoint period and SMaRtCoin's minters. Stored as readable JSON (<see cref="GenesisJson"/>); identified by
/// <see cref="Hash"/>, the SHA-256 of its canonical encoding, so formatting of the JSON never matters.
/// </summary>
public sealed class GenesisDocument
{
    /// <summary>Version of the genesis format this code reads and writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Default number of blocks between checkpoints.</summary>
    public const long DefaultCheckpointPeriod = 1000;

    /// <summary>Creates a genesis from parts that are already valid; use <see cref="GenesisJson"/> to read one.</summary>
    public GenesisDocument(string chainId, PersistenceMode persistence, View initialView, ConsensusParameters consensus,
        long checkpointPeriod, IReadOnlyList<Ed25519PublicKey> minters)
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

    /// <summary>SHA-256 of <see cref="Encode"/>.</summary>
    public Hash256 Hash { get; }

    /// <summary>
    /// The canonical encoding that <see cref="Hash"/> covers: u8 format, chain id, u8 persistence, view, five i32
    /// consensus parameters, i64 checkpoint period, minter count and keys in the order listed.
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
        writer.WriteInt64(CheckpointPeriod);
        writer.WriteCount(Minters.Count, Limits.MaxMinters);
        foreach (Ed25519PublicKey minter in Minters)
        {
            minter.WriteTo(ref writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
