using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// A decoded MINT or SPEND: the operation bytes of a signed request. Canonical encoding:
/// <code>
/// MINT : u8 1 · u32 n · n × (32 B owner, u64 value)
/// SPEND: u8 2 · u32 m · m × 32 B coin id · u32 n · n × (32 B owner, u64 value)
/// </code>
/// </summary>
public sealed class CoinOperation
{
    private CoinOperation(CoinOperationKind kind, IReadOnlyList<Hash256> inputs, IReadOnlyList<CoinOutput> outputs)
    {
        Kind = kind;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>MINT or SPEND.</summary>
    public CoinOperationKind Kind { get; }

    /// <summary>Coin ids consumed (empty for MINT).</summary>
    public IReadOnlyList<Hash256> Inputs { get; }

    /// <summary>Coins created, in order; output i gets id <see cref="CoinIds.Derive"/>(tx id, i).</summary>
    public IReadOnlyList<CoinOutput> Outputs { get; }

    /// <summary>A MINT of <paramref name="outputs"/>.</summary>
    public static CoinOperation Mint(IReadOnlyList<CoinOutput> outputs) => new(CoinOperationKind.Mint, [], outputs);

    /// <summary>A SPEND of <paramref name="inputs"/> into <paramref name="outputs"/>.</summary>
    public static CoinOperation Spend(IReadOnlyList<Hash256> inputs, IReadOnlyList<CoinOutput> outputs) =>
        new(CoinOperationKind.Spend, inputs, outputs);

    /// <summary>The canonical operation bytes.</summary>
    /// <exception cref="ArgumentException">More inputs or outputs than the limits allow.</exception>
    public byte[] Encode()
    {
        if (Inputs.Count > CoinLimits.MaxInputs || Outputs.Count > CoinLimits.MaxOutputs)
        {
            throw new ArgumentException($"at most {CoinLimits.MaxInputs} inputs and {CoinLimits.MaxOutputs} outputs");
        }

        int inputBytes = Kind == CoinOperationKind.Spend ? 4 + (Inputs.Count * Hash256.Size) : 0;
        byte[] bytes = new byte[1 + inputBytes + 4 + (Outputs.Count * CoinOutput.EncodedSize)];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt8((byte)Kind);
        if (Kind == CoinOperationKind.Spend)
        {
            writer.WriteCount(Inputs.Count, CoinLimits.MaxInputs);
            foreach (Hash256 input in Inputs)
            {
                input.WriteTo(ref writer);
            }
        }

        writer.WriteCount(Outputs.Count, CoinLimits.MaxOutputs);
        foreach (CoinOutput output in Outputs)
        {
            output.Owner.WriteTo(ref writer);
            writer.WriteUInt64(output.Value);
        }

        return bytes;
    }

    /// <summary>
    /// Decodes operation bytes. Returns <see cref="CoinResultCode.Ok"/> with the operation, or the code that
    /// describes why the bytes are not a valid operation (<see cref="CoinResultCode.Malformed"/>,
    /// <see cref="CoinResultCode.TooManyInputs"/>, <see cref="CoinResultCode.TooManyOutputs"/>).
    /// </summary>
    public static CoinResultCode TryDecode(ReadOnlySpan<byte> bytes, out CoinOperation? operation, out string? reason)
    {
        operation = null;
        reason = null;
        try
        {
            var reader = new CanonicalReader(bytes);
            byte kind = reader.ReadUInt8();
            Hash256[] inputs = [];
            if (kind == (byte)CoinOperationKind.Spend)
            {
                uint inputCount = reader.ReadUInt32();
                if (inputCount > CoinLimits.MaxInputs)
                {
                    reason = $"{inputCount} inputs; at most {CoinLimits.MaxInputs}";
                    return CoinResultCode.TooManyInputs;
                }

                inputs = ReadInputs(ref reader, (int)inputCount);
            }
            else if (kind != (byte)CoinOperationKind.Mint)
            {
                reason = $"unknown operation kind {kind}";
                return CoinResultCode.Malformed;
            }

            uint outputCount = reader.ReadUInt32();
            if (outputCount > CoinLimits.MaxOutputs)
            {
                reason = $"{outputCount} outputs; at most {CoinLimits.MaxOutputs}";
                return CoinResultCode.TooManyOutputs;
            }

            CoinOutput[] outputs = ReadOutputs(ref reader, (int)outputCount);
            reader.EnsureEnd();
            operation = new CoinOperation((CoinOperationKind)kind, inputs, outputs);
            return CoinResultCode.Ok;
        }
        catch (EncodingException e)
        {
            reason = e.Message;
            return CoinResultCode.Malformed;
        }
    }

    private static Hash256[] ReadInputs(ref CanonicalReader reader, int count)
    {
        if ((long)count * Hash256.Size > reader.Remaining)
        {
            throw new EncodingException(reader.Position, $"{count} inputs need {count * Hash256.Size} bytes, {reader.Remaining} remain");
        }

        var inputs = new Hash256[count];
        for (int i = 0; i < count; i++)
        {
            inputs[i] = Hash256.ReadFrom(ref reader);
        }

        return inputs;
    }

    private static CoinOutput[] ReadOutputs(ref CanonicalReader reader, int count)
    {
        if ((long)count * CoinOutput.EncodedSize > reader.Remaining)
        {
            throw new EncodingException(reader.Position, $"{count} outputs need {count * CoinOutput.EncodedSize} bytes, {reader.Remaining} remain");
        }

        var outputs = new CoinOutput[count];
        for (int i = 0; i < count; i++)
        {
            outputs[i] = new CoinOutput(Ed25519PublicKey.ReadFrom(ref reader), reader.ReadUInt64());
        }

        return outputs;
    }
}
