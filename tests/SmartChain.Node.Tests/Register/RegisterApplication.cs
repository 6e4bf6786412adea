using System.Buffers;
using System.Collections.Immutable;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Tests.Register;

/// <summary>
/// A second application, for tests only: a key-value register (PUT key value; GET key), so the platform's host-level
/// tests run for something that is not SMaRtCoin. Any signed request may PUT. The state is an immutable sorted map:
/// execution replaces it, queries and captures read whatever was published after the last batch, and the snapshot
/// lists the keys in ordinal order (so equal states encode, and hash, alike).
/// </summary>
public sealed class RegisterApplication(string chainId) : IReplicatedApplication
{
    private const int MaxEntries = 1_000_000;
    private ImmutableSortedDictionary<string, RegisterEntry> _state = ImmutableSortedDictionary.Create<string, RegisterEntry>(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, RegisterEntry> _published = ImmutableSortedDictionary.Create<string, RegisterEntry>(StringComparer.Ordinal);

    /// <summary>The factory a replica composition passes to the host.</summary>
    public static ApplicationFactory Factory { get; } = genesis => new RegisterApplication(genesis.ChainId);

    /// <summary>The register of <paramref name="genesis"/>: empty.</summary>
    public static RegisterApplication ForGenesis(GenesisDocument genesis) => new(genesis.ChainId);

    /// <inheritdoc />
    public TxCheck CheckTx(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Verify(chainId))
        {
            return TxCheck.Refuse(RegisterOperation.Malformed, $"signature does not verify for chain {chainId}");
        }

        try
        {
            _ = RegisterOperation.DecodePut(request.Operation.Span);
            return TxCheck.Ok;
        }
        catch (EncodingException e)
        {
            return TxCheck.Refuse(RegisterOperation.Malformed, e.Message);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new byte[batch.Count][];
        for (int i = 0; i < batch.Count; i++)
        {
            results[i] = Execute(batch[i].Operation.Span);
        }

        Volatile.Write(ref _published, _state);
        return results;
    }

    private byte[] Execute(ReadOnlySpan<byte> operation)
    {
        string key;
        byte[] value;
        try
        {
            (key, value) = RegisterOperation.DecodePut(operation);
        }
        catch (EncodingException)
        {
            return RegisterOperation.EncodeResult(RegisterOperation.Malformed, 0);
        }

        if (!_state.TryGetValue(key, out RegisterEntry? old) && _state.Count >= MaxEntries)
        {
            return RegisterOperation.EncodeResult(RegisterOperation.Malformed, 0);
        }

        ulong version = (old?.Version ?? 0) + 1;
        _state = _state.SetItem(key, new RegisterEntry(version, value));
        return RegisterOperation.EncodeResult(RegisterOperation.Ok, version);
    }

    /// <inheritdoc />
    public void WriteSnapshot(IBufferWriter<byte> output) => Write(output, _state);

    /// <inheritdoc />
    public IStateView CaptureState() => new View(_state);

    /// <inheritdoc />
    public void RestoreSnapshot(ReadOnlySpan<byte> snapshot)
    {
        var r = new CanonicalReader(snapshot);
        int count = r.ReadCount(MaxEntries, 10);
        ImmutableSortedDictionary<string, RegisterEntry>.Builder entries = ImmutableSortedDictionary.CreateBuilder<string, RegisterEntry>(StringComparer.Ordinal);
        string? previous = null;
        for (int i = 0; i < count; i++)
        {
            int at = r.Position;
            string key = r.ReadString(RegisterOperation.MaxKeyBytes);
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
            {
                throw new EncodingException(at, $"register key '{key}' out of order");
            }

            entries[key] = new RegisterEntry(r.ReadUInt64(), r.ReadBytesToArray(RegisterOperation.MaxValueBytes));
            previous = key;
        }

        r.EnsureEnd();
        _state = entries.ToImmutable();
        Volatile.Write(ref _published, _state);
    }

    /// <inheritdoc />
    public byte[] Query(ReadOnlySpan<byte> query)
    {
        string key = RegisterOperation.DecodeGet(query);
        return Volatile.Read(ref _published).TryGetValue(key, out RegisterEntry? entry)
            ? RegisterOperation.EncodeAnswer(entry.Version, entry.Value)
            : RegisterOperation.EncodeAnswer(0, []);
    }

    /// <inheritdoc />
    public Hash256 ComputeStateHash()
    {
        using var hasher = new HashingBufferWriter();
        WriteSnapshot(hasher);
        return hasher.GetHash();
    }

    private static void Write(IBufferWriter<byte> output, ImmutableSortedDictionary<string, RegisterEntry> state)
    {
        var w = new CanonicalWriter(output);
        w.WriteCount(state.Count, MaxEntries);
        foreach ((string key, RegisterEntry entry) in state)
        {
            w.WriteString(key, RegisterOperation.MaxKeyBytes);
            w.WriteUInt64(entry.Version);
            w.WriteBytes(entry.Value, RegisterOperation.MaxValueBytes);
        }
    }

    private sealed class View(ImmutableSortedDictionary<string, RegisterEntry> state) : IStateView
    {
        public void WriteSnapshot(IBufferWriter<byte> output) => Write(output, state);
    }
}
