namespace SmartChain.Coin.Wallet;

/// <summary>A payment the wallet's spendable coins cannot cover (or cover only with more than the input limit).</summary>
public sealed class InsufficientFundsException : Exception
{
    /// <inheritdoc />
    public InsufficientFundsException()
    {
    }

    /// <inheritdoc />
    public InsufficientFundsException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public InsufficientFundsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
