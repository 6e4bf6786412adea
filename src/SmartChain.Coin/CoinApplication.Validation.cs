using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin;

/// <summary>The checks that need no state; shared by CheckTx (before ordering) and execution (after).</summary>
public sealed partial class CoinApplication
{
    // Order of checks, so every replica reports the same code for a transaction with several faults:
    // Malformed / TooManyInputs / TooManyOutputs → EmptyOutputs → Malformed (SPEND without inputs) →
    // DuplicateInput → ZeroValue → Overflow (outputs) → NotMinter; then, with state, UnknownCoin → NotOwner → Overflow (inputs)
    // → ValueMismatch → Replayed.
    // The operation is decoded into the caller's buffers (stack), so neither CheckTx nor execution allocates for it.
    private (CoinResultCode Code, string? Reason) Validate(SignedRequest request, Span<Hash256> inputs, Span<CoinOutput> outputs,
        out CoinOperationKind kind, out int inputCount, out int outputCount)
    {
        CoinResultCode code = CoinOperation.TryDecode(request.Operation.Span, inputs, outputs, out kind, out inputCount, out outputCount, out string? reason);
        if (code != CoinResultCode.Ok)
        {
            return (code, reason);
        }

        if (outputCount == 0)
        {
            return (CoinResultCode.EmptyOutputs, "a transaction must create at least one coin");
        }

        if (kind == CoinOperationKind.Spend)
        {
            if (inputCount == 0)
            {
                return (CoinResultCode.Malformed, "a SPEND needs at least one input");
            }

            if (HasDuplicate(inputs[..inputCount]))
            {
                return (CoinResultCode.DuplicateInput, "an input is listed twice");
            }
        }

        for (int i = 0; i < outputCount; i++)
        {
            if (outputs[i].Value == 0)
            {
                return (CoinResultCode.ZeroValue, $"output {i} has value 0; every coin must carry value");
            }
        }

        if (!TrySumOutputs(outputs[..outputCount], out _))
        {
            return (CoinResultCode.Overflow, "outputs add up to more than 2^64 - 1");
        }

        if (kind == CoinOperationKind.Mint && !_minters.Contains(request.Client))
        {
            return (CoinResultCode.NotMinter, $"{request.Client} is not a minter");
        }

        return (CoinResultCode.Ok, null);
    }

    private static bool HasDuplicate(ReadOnlySpan<Hash256> inputs)
    {
        // At most 64 inputs: sorting a stack copy beats a hash set and allocates nothing (the inputs keep their order).
        Span<Hash256> sorted = stackalloc Hash256[inputs.Length];
        inputs.CopyTo(sorted);

        sorted.Sort();
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                return true;
            }
        }

        return false;
    }

    private static bool TrySumOutputs(ReadOnlySpan<CoinOutput> outputs, out ulong total)
    {
        total = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (!TryAdd(ref total, outputs[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    // Only called after Validate accepted the outputs, so the sum is known to fit.
    private static ulong SumOutputs(ReadOnlySpan<CoinOutput> outputs) =>
        TrySumOutputs(outputs, out ulong total) ? total : throw new InvalidOperationException("outputs overflow after validation");

    private static bool TryAdd(ref ulong total, ulong value)
    {
        ulong sum = unchecked(total + value);
        if (sum < total)
        {
            return false;
        }

        total = sum;
        return true;
    }
}
