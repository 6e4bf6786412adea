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
        Span<Hash256> inputs = stackalloc Hash256[CoinLimits.MaxInputs];
        Span<CoinOutput> outputs = stackalloc CoinOutput[CoinLimits.MaxOutputs];
        CoinResultCode code = TryDecode(bytes, inputs, outputs, out CoinOperationKind kind, out int inputCount, out int outputCount, out reason);
        if (code == CoinResultCode.Ok)
        {
            operation = new CoinOperation(kind, inputs[..inputCount].ToArray(), outputs[..outputCount].ToArray());
        }

        return code;
    }

    /// <summary>
    /// Decodes operation bytes into caller-owned buffers (at least <see cref="CoinLimits.MaxInputs"/> and
    /// <see cref="CoinLimits.MaxOutputs"/> long), allocating nothing unless the bytes are refused: what CheckTx and
    /// execution use. The one parser; the allocating overload above copies its result out.
    /// </summary>
    internal static CoinResultCode TryDecode(ReadOnlySpan<byte> bytes, Span<Hash256> inputs, Span<CoinOutput> outputs,
        out CoinOperationKind kind, out int inputCount, out int outputCount, out string? reason)
    {
        kind = default;
        inputCount = 0;
        outputCount = 0;
        reason = null;
        try
        {
            var reader = new CanonicalReader(bytes);
            byte tag = reader.ReadUInt8();
            if (tag == (byte)CoinOperationKind.Spend)
            {
                uint count = reader.ReadUInt32();
                if (count > CoinLimits.MaxInputs)
                {
                    reason = $"{count} inputs; at most {CoinLimits.MaxInputs}";
                    return CoinResultCode.TooManyInputs;
                }

                ReadInputs(ref reader, inputs[..(int)count]);
                inputCount = (int)count;
            }
            else if (tag != (byte)CoinOperationKind.Mint)
            {
                reason = $"unknown operation kind {tag}";
                return CoinResultCode.Malformed;
            }

            uint outCount = reader.ReadUInt32();
            if (outCount > CoinLimits.MaxOutputs)
            {
                inputCount = 0;
                reason = $"{outCount} outputs; at most {CoinLimits.MaxOutputs}";
                return CoinResultCode.TooManyOutputs;
            }

            ReadOutputs(ref reader, outputs[..(int)outCount]);
            reader.EnsureEnd();
            kind = (CoinOperationKind)tag;
            outputCount = (int)outCount;
            return CoinResultCode.Ok;
        }
        catch (EncodingException e)
        {
            inputCount = 0;
            reason = e.Message;
            return CoinResultCode.Malformed;
        }
    }

    private static void ReadInputs(ref CanonicalReader reader, Span<Hash256> inputs)
    {
        int count = inputs.Length;
        if ((long)count * Hash256.Size > reader.Remaining)
        {
            throw new EncodingException(reader.Position, $"{count} inputs need {count * Hash256.Size} bytes, {reader.Remaining} remain");
        }

        for (int i = 0; i < count; i++)
        {
            inputs[i] = Hash256.ReadFrom(ref reader);
        }
    }

    private static void ReadOutputs(ref CanonicalReader reader, Span<CoinOutput> outputs)
    {
        int count = outputs.Length;
        if ((long)count * CoinOutput.EncodedSize > reader.Remaining)
        {
            throw new EncodingException(reader.Position, $"{count} outputs need {count * CoinOutput.EncodedSize} bytes, {reader.Remaining} remain");
        }

        for (int i = 0; i < count; i++)
        {
            outputs[i] = new CoinOutput(Ed25519PublicKey.ReadFrom(ref reader), reader.ReadUInt64());
        }
    }
}
