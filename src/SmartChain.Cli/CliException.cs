namespace SmartChain.Cli;

/// <summary>An error the user can fix; printed as one line, with no stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
