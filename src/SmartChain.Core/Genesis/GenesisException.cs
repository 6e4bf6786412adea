namespace SmartChain.Core.Genesis;

/// <summary>A genesis document that cannot be used; <see cref="Errors"/> has one line per problem, naming the field.</summary>
public sealed class GenesisException : Exception
{
    /// <summary>Creates the exception from the list of problems found in <paramref name="source"/>.</summary>
    public GenesisException(string source, IReadOnlyList<string> errors)
        : base(Format(source, errors))
    {
        Errors = errors;
    }

    /// <inheritdoc />
    public GenesisException()
        : this("genesis", [])
    {
    }

    /// <inheritdoc />
    public GenesisException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <inheritdoc />
    public GenesisException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Each problem as "field: reason".</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(string source, IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? $"{source} is invalid: {errors[0]}"
            : $"{source} is invalid ({errors.Count} problems): {string.Join("; ", errors)}";
}
