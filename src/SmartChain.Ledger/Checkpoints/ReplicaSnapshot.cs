using System.Buffers;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>
/// A replica's snapshot: everything a replica needs to continue from block <see cref="Block"/> without the blocks
/// before it. The replay-protection table and the reconfiguration state (view, key chains, former members, exclusion
/// votes) are part of the replicated state, so they are in the snapshot too. Encoding:
/// <code>
/// 4 B "SCSN" · u8 version 3 · i64 block · i64 consensusId ·
/// u32 n · n × (32 B client key · u64 highest decided sequence · i64 last instance that decided one of its requests,
///              0..consensusId), strictly increasing by key ·
/// bytes reconfiguration state ·
/// the application's canonical snapshot (the rest of the file)
/// </code>
/// The file's SHA-256 and size are what the checkpoint block records.
/// </summary>
public sealed record ReplicaSnapshot(long Block, long ConsensusId, IReadOnlyList<ClientEntry> Clients,
    ReadOnlyMemory<byte> Reconfiguration, ReadOnlyMemory<byte> Application)
{
    private const byte Version = 3;
    private const int MaxReconfigurationBytes = 64 * 1024 * 1024;
    private const int ClientEntryBytes = Ed25519PublicKey.Size + 8 + 8;
    private static ReadOnlySpan<byte> Magic => "SCSN"u8;

    /// <summary>
    /// Writes the snapshot of the application (written by <paramref name="writeApplication"/>), <paramref name="clients"/>
    /// and <paramref name="reconfiguration"/> (the reconfiguration state's canonical bytes) as the state after block
    /// <paramref name="block"/>. The client table is sorted here, so the bytes depend only on the state (each row's last
    /// instance included: expiry after a restore must go on exactly as on the replicas that never stopped).
    /// </summary>
    public static void Write(IBufferWriter<byte> output, long block, long consensusId, IEnumerable<ClientEntry> clients,
        ReadOnlySpan<byte> reconfiguration, Action<IBufferWriter<byte>> writeApplication)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(writeApplication);
        ClientEntry[] sorted = [.. clients];
        Array.Sort(sorted, static (a, b) => a.Client.CompareTo(b.Client));
        var writer = new CanonicalWriter(output);
        writer.WriteFixed(Magic);
        writer.WriteUInt8(Version);
        writer.WriteInt64(block);
        writer.WriteInt64(consensusId);
        writer.WriteCount(sorted.Length, int.MaxValue);
        foreach (ClientEntry entry in sorted)
        {
            entry.Client.WriteTo(ref writer);
            writer.WriteUInt64(entry.Sequence);
            writer.WriteInt64(entry.LastInstance);
        }

        writer.WriteBytes(reconfiguration, MaxReconfigurationBytes);
        writeApplication(output);
    }

    /// <summary>Writes the snapshot into one array and hashes it: what a replica does at a checkpoint.</summary>
    public static (byte[] Bytes, Hash256 Hash) Take(long block, long consensusId, IEnumerable<ClientEntry> clients,
        ReadOnlySpan<byte> reconfiguration, Action<IBufferWriter<byte>> writeApplication)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        Write(buffer, block, consensusId, clients, reconfiguration, writeApplication);
        byte[] bytes = buffer.WrittenSpan.ToArray();
        return (bytes, Hash256.Compute(bytes));
    }

    /// <summary>Parses a snapshot file's bytes (the application part is checked when it is restored).</summary>
    /// <exception cref="EncodingException">Not a snapshot; the message says where and why.</exception>
    public static ReplicaSnapshot Parse(ReadOnlyMemory<byte> bytes)
    {
        var reader = new CanonicalReader(bytes.Span);
        if (bytes.Length < Magic.Length || !reader.ReadFixed(Magic.Length).SequenceEqual(Magic))
        {
            throw new EncodingException(0, "not a replica snapshot (the file does not start with \"SCSN\")");
        }

        int at = reader.Position;
        byte version = reader.ReadUInt8();
        if (version != Version)
        {
            throw new EncodingException(at, $"snapshot version {version}; this build reads {Version}");
        }

        long block = reader.ReadInt64(0, long.MaxValue);
        long consensusId = reader.ReadInt64(0, long.MaxValue);
        var clients = new ClientEntry[reader.ReadCount(int.MaxValue, ClientEntryBytes)];
        for (int i = 0; i < clients.Length; i++)
        {
            at = reader.Position;
            clients[i] = new ClientEntry(Ed25519PublicKey.ReadFrom(ref reader), reader.ReadUInt64(), reader.ReadInt64(0, consensusId));
            if (i > 0 && clients[i].Client.CompareTo(clients[i - 1].Client) <= 0)
            {
                throw new EncodingException(at, $"client {i} is not in strictly increasing key order");
            }
        }

        int reconfigurationAt = reader.Position;
        int reconfigurationLength = reader.ReadBytes(MaxReconfigurationBytes).Length;
        ReadOnlyMemory<byte> reconfiguration = bytes.Slice(reconfigurationAt + 4, reconfigurationLength);
        return new ReplicaSnapshot(block, consensusId, clients, reconfiguration, bytes[reader.Position..]);
    }
}
