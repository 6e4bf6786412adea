using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;

namespace SmartChain.Cli;

/// <summary>
/// Parsers that check an option's value while the command line is parsed, before any command runs: a bad value is
/// reported as one line naming the option, what was given and what is wanted ("--amount 0: give a whole number of at
/// least 1"), and the command never starts, so nothing is contacted or created. Set as an option's CustomParser.
/// </summary>
internal static class CliParsers
{
    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Func<ArgumentResult, T> Whole<T>(T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        result => ParseWhole(result, min, max) ?? min;

    /// <summary>An optional whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Func<ArgumentResult, T?> OptionalWhole<T>(T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        result => ParseWhole(result, min, max);

    /// <summary>One or more whole numbers within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Func<ArgumentResult, T[]> WholeList<T>(T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        result =>
        {
            var values = new T[result.Tokens.Count];
            for (int i = 0; i < values.Length; i++)
            {
                if (ParseWhole(result, result.Tokens[i].Value, min, max) is not { } value)
                {
                    return [];
                }

                values[i] = value;
            }

            return values;
        };

    /// <summary>One of <paramref name="values"/> (exactly as written).</summary>
    public static Func<ArgumentResult, string> OneOf(params string[] values) =>
        result => Array.IndexOf(values, Token(result)) >= 0 ? Token(result) : Fail(result, Token(result), $"give one of {string.Join(", ", values)}", "");

    /// <summary>One or more of <paramref name="values"/>.</summary>
    public static Func<ArgumentResult, string[]> SomeOf(params string[] values) =>
        result =>
        {
            foreach (Token token in result.Tokens)
            {
                if (Array.IndexOf(values, token.Value) < 0)
                {
                    return Fail<string[]>(result, token.Value, $"give one of {string.Join(", ", values)}", []);
                }
            }

            return [.. result.Tokens.Select(t => t.Value)];
        };

    /// <summary>A member of the enum <typeparamref name="T"/> by name, any case.</summary>
    public static Func<ArgumentResult, T> Named<T>()
        where T : struct, Enum =>
        result => Enum.TryParse(Token(result), ignoreCase: true, out T value) && Enum.IsDefined(value) && !int.TryParse(Token(result), out _)
            ? value
            : Fail(result, Token(result), $"give one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}", default(T));

    /// <summary>A file that exists and can be read.</summary>
    public static FileInfo ExistingFile(ArgumentResult result)
    {
        string path = Token(result);
        if (Directory.Exists(path))
        {
            return Fail(result, path, "is a folder, not a file", new FileInfo(path));
        }

        if (!File.Exists(path))
        {
            return Fail(result, path, "no such file", new FileInfo(path));
        }

        try
        {
            using FileStream _ = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(result, path, $"cannot read it ({e.Message})", new FileInfo(path));
        }

        return new FileInfo(path);
    }

    /// <summary>A file to write: its folder must exist, and it must not be a folder.</summary>
    public static FileInfo FileToWrite(ArgumentResult result)
    {
        var file = new FileInfo(Token(result));
        return Directory.Exists(file.FullName) ? Fail(result, Token(result), "is a folder, not a file", file)
            : !Directory.Exists(file.DirectoryName) ? Fail(result, Token(result), $"no folder {file.DirectoryName}", file)
            : file;
    }

    /// <summary>A replica home: a folder with node.json.</summary>
    public static DirectoryInfo ReplicaHome(ArgumentResult result) =>
        File.Exists(Path.Combine(Token(result), NodeConfig.FileName))
            ? new DirectoryInfo(Token(result))
            : Fail(result, Token(result), $"not a replica home (no {NodeConfig.FileName})", new DirectoryInfo(Token(result)));

    /// <summary>A testnet folder: one with genesis.json.</summary>
    public static DirectoryInfo TestnetFolder(ArgumentResult result) =>
        File.Exists(Path.Combine(Token(result), Testnet.TestnetInitializer.GenesisFileName))
            ? new DirectoryInfo(Token(result))
            : Fail(result, Token(result), $"not a testnet folder (no {Testnet.TestnetInitializer.GenesisFileName}); create one with 'smartchain testnet init --dir {Token(result)}'",
                new DirectoryInfo(Token(result)));

    /// <summary>A public key: 64 hex digits, or a key file that loads (checked here, so a bad one is named).</summary>
    public static string PublicKeyOrKeyFile(ArgumentResult result)
    {
        string value = Token(result);
        if (Ed25519PublicKey.TryParse(value, out _))
        {
            return value;
        }

        if (!File.Exists(value))
        {
            return Fail(result, value, "neither a 64-hex public key nor a key file", value);
        }

        try
        {
            using Ed25519KeyPair _ = KeyFile.Load(value);
            return value;
        }
        catch (KeyFileException e)
        {
            return Fail(result, value, e.Message, value);
        }
    }

    /// <summary>host:port, the host an IP address or a host name, the port 1..65535.</summary>
    public static string Endpoint(ArgumentResult result) =>
        IsEndpoint(Token(result)) ? Token(result) : Fail(result, Token(result), "give host:port (an IP address or host name, a port from 1 to 65535)", "");

    /// <summary>host:port,host:port,... (at least one).</summary>
    public static string? EndpointList(ArgumentResult result)
    {
        string value = Token(result);
        string[] parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length > 0 && Array.TrueForAll(parts, IsEndpoint)
            ? value
            : Fail<string?>(result, value, "give host:port,... (an IP address or host name, a port from 1 to 65535)", null);
    }

    /// <summary>An IP address or a host name.</summary>
    public static string Host(ArgumentResult result) =>
        Uri.CheckHostName(Token(result)) != UriHostNameType.Unknown ? Token(result) : Fail(result, Token(result), "not an IP address or host name", "");

    /// <summary>host,host,...: IP addresses or host names.</summary>
    public static string[] HostList(ArgumentResult result)
    {
        string value = string.Join(',', result.Tokens.Select(t => t.Value));
        string[] hosts = value.Split(',', StringSplitOptions.TrimEntries);
        return Array.TrueForAll(hosts, h => Uri.CheckHostName(h) != UriHostNameType.Unknown)
            ? hosts
            : Fail<string[]>(result, value, "give host,host,... (IP addresses or host names, one per replica)", []);
    }

    /// <summary>A positive number of seconds, "10", "10s" or "2.5s".</summary>
    public static string? Seconds(ArgumentResult result) =>
        SecondsOf(Token(result)) is { } seconds && seconds > TimeSpan.Zero ? Token(result) : Fail<string?>(result, Token(result), "give seconds, like 10s", null);

    /// <summary>"10", "10s" or "2.5s" as a time span; null if it is not a number of seconds.</summary>
    public static TimeSpan? SecondsOf(string value) =>
        double.TryParse(value.EndsWith('s') ? value[..^1] : value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static bool IsEndpoint(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            && Uri.CheckHostName(value[..colon].Trim('[', ']')) != UriHostNameType.Unknown;
    }

    private static T? ParseWhole<T>(ArgumentResult result, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        ParseWhole(result, Token(result), min, max);

    private static T? ParseWhole<T>(ArgumentResult result, string text, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value) && value >= min && value <= max)
        {
            return value;
        }

        string wanted = (min == T.MinValue, max == T.MaxValue) switch
        {
            (true, true) => "give a whole number",
            (false, true) => $"give a whole number of at least {min}",
            _ => $"give a whole number from {min} to {max}",
        };
        return Fail<T?>(result, text, wanted, null);
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static T Fail<T>(ArgumentResult result, string value, string wanted, T placeholder)
    {
        string label = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{label} {value}: {wanted}");
        return placeholder;
    }
}
