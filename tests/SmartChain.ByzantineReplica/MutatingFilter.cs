using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Network;

namespace SmartChain.ByzantineReplica;

/// <summary>
/// Changes what this replica sends, frame by frame and peer by peer (so each peer may see another story: equivocation):
/// <paramref name="ratePercent"/>% of frames are dropped, replaced by an old frame (replay), changed in one consensus
/// field over its whole range (view, instance, regency: 0, −1, ±1, far ahead, the type's extremes, random), turned into
/// an ACCEPT for another batch or regency signed with this replica's own key, or changed byte by byte (any frame type:
/// consensus, state transfer, block signatures). The rest go out unchanged, so the replica still takes part.
/// </summary>
internal sealed class MutatingFilter(Ed25519KeyPair key, string chainId, MessageLimits limits, int seed, int ratePercent) : IOutboundFrameFilter
{
    private const int Remembered = 512;
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private readonly List<(FrameType Type, byte[] Payload)> _sent = [];
    private readonly long[] _counts = new long[7];

    /// <summary>What was done to how many frames.</summary>
    public string Summary
    {
        get
        {
            lock (_gate)
            {
                return $"{_counts[0]} unchanged, {_counts[1]} dropped, {_counts[2]} replayed, {_counts[3]} field-mutated, {_counts[4]} re-signed accepts, {_counts[5]} byte-mutated, {_counts[6]} duplicated with a change";
            }
        }
    }

    /// <inheritdoc />
    public void OnSend(int peer, FrameType type, ReadOnlyMemory<byte> payload, Action<int, FrameType, ReadOnlyMemory<byte>> send)
    {
        (FrameType Type, ReadOnlyMemory<byte> Payload)[] frames;
        lock (_gate)
        {
            if (_sent.Count < Remembered)
            {
                _sent.Add((type, payload.ToArray()));
            }
            else if (_random.Next(8) == 0)
            {
                _sent[_random.Next(Remembered)] = (type, payload.ToArray());
            }

            frames = Choose(type, payload);
        }

        foreach ((FrameType frameType, ReadOnlyMemory<byte> bytes) in frames)
        {
            send(peer, frameType, bytes);
        }
    }

    private (FrameType, ReadOnlyMemory<byte>)[] Choose(FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (_random.Next(100) >= ratePercent)
        {
            _counts[0]++;
            return [(type, payload)];
        }

        switch (_random.Next(6))
        {
            case 0:
                _counts[1]++;
                return [];
            case 1:
                _counts[2]++;
                (FrameType Type, byte[] Payload) old = _sent[_random.Next(_sent.Count)];
                return [(old.Type, old.Payload)];
            case 2 when type == FrameType.Consensus && Decode(payload) is { } message:
                _counts[3]++;
                return [(type, MessageCodec.Encode(MutateField(message)))];
            case 3 when type == FrameType.Consensus && Decode(payload) is Accept accept:
                _counts[4]++;
                return [(type, MessageCodec.Encode(Resign(accept)))];
            case 4:
                _counts[6]++;
                return [(type, payload), (type, MutateBytes(payload))];
            default:
                _counts[5]++;
                return [(type, MutateBytes(payload))];
        }
    }

    private ConsensusMessage? Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return MessageCodec.Decode(payload.Span, limits);
        }
        catch (Core.Encoding.EncodingException)
        {
            return null;
        }
    }

    private ConsensusMessage MutateField(ConsensusMessage message) => _random.Next(3) switch
    {
        0 => message with { ViewId = Long(message.ViewId) },
        1 => message with { Instance = Long(message.Instance) },
        _ => message with { Regency = Int(message.Regency) },
    };

    // An ACCEPT this replica really signed, for a batch or regency it never saw: valid evidence of a lie.
    private Accept Resign(Accept accept)
    {
        int regency = _random.Next(2) == 0 ? accept.Regency : Int(accept.Regency);
        Hash256 batch = _random.Next(2) == 0 ? accept.BatchHash : Hash256.Compute(BitConverter.GetBytes(_random.NextInt64()));
        byte[] signature = key.Sign(AcceptStatement.Encode(chainId, accept.ViewId, accept.Instance, regency, batch));
        return accept with { Regency = regency, BatchHash = batch, Signature = signature };
    }

    private byte[] MutateBytes(ReadOnlyMemory<byte> payload)
    {
        byte[] bytes = payload.ToArray();
        switch (_random.Next(4))
        {
            case 0 when bytes.Length > 0:
                bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                return bytes;
            case 1 when bytes.Length > 1:
                return bytes[.._random.Next(bytes.Length)];
            case 2:
                byte[] longer = new byte[bytes.Length + _random.Next(1, 64)];
                bytes.CopyTo(longer, 0);
                _random.NextBytes(longer.AsSpan(bytes.Length));
                return longer;
            default:
                // A length or count field set to its maximum: the first 4 bytes after the type byte.
                if (bytes.Length > 5)
                {
                    bytes.AsSpan(1, 4).Fill(0xFF);
                }

                return bytes;
        }
    }

    private long Long(long value) => _random.Next(9) switch
    {
        0 => 0,
        1 => -1,
        2 => value - 1,
        3 => value + 1,
        4 => value + 1_000,
        5 => value + 1_000_000_000,
        6 => long.MaxValue,
        7 => long.MinValue,
        _ => _random.NextInt64(),
    };

    private int Int(int value) => _random.Next(9) switch
    {
        0 => 0,
        1 => -1,
        2 => value - 1,
        3 => value + 1,
        4 => value + 1_000,
        5 => value + 1_000_000,
        6 => int.MaxValue,
        7 => int.MinValue,
        _ => _random.Next(),
    };
}
