using System.Globalization;
using SmartChain.Core.Crypto;

namespace SmartChain.Api;

/// <summary>Parsing of route and query values; each says exactly what was wrong (public for <see cref="IApplicationEndpoints"/>).</summary>
public static class Parse
{
    /// <summary>A hash of 64 hex digits; else false and <paramref name="error"/> names <paramref name="what"/>.</summary>
    public static bool Hash(string? text, string what, out Hash256 hash, out string? error)
    {
        error = Hash256.TryParse(text, out hash) ? null : $"{what} must be 64 hex digits, not '{Clip(text)}'";
        return error is null;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; else false and <paramref name="error"/> names <paramref name="what"/>.</summary>
    public static bool Number(string? text, string what, long min, long max, out long value, out string? error)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"{what} must be a whole number from {min} to {max}, not '{Clip(text)}'";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>At most 80 characters of a value, for an error message.</summary>
    public static string Clip(string? text) => text is null ? "" : text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
