namespace SmartChain.Core;

/// <summary>
/// Rules for chain ids: 1 to 64 characters from a-z, 0-9, '.', '_' and '-'. The chain id is inside every signed
/// request, so a request signed for one network is worthless on another.
/// </summary>
public static class ChainId
{
    /// <summary>Null if <paramref name="value"/> is a valid chain id, else why not.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > Limits.MaxChainIdBytes)
        {
            return $"is {value.Length} characters; at most {Limits.MaxChainIdBytes} are allowed";
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
            {
                return $"contains '{c}'; only a-z, 0-9, '.', '_' and '-' are allowed";
            }
        }

        return null;
    }
}
