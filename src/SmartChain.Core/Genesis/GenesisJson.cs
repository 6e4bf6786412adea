using System.Text.Json;
using SmartChain.Core.IO;
using SmartChain.Core.Json;

namespace SmartChain.Core.Genesis;

/// <summary>Reads and writes genesis.json.</summary>
public static class GenesisJson
{
    /// <summary>Genesis files larger than this are refused before parsing.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Loads and validates the genesis at <paramref name="path"/>.</summary>
    /// <exception cref="GenesisException">Missing, unreadable, not JSON, or invalid; the message names the field.</exception>
    public static GenesisDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new GenesisException($"{path} is larger than {MaxFileBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenesisException($"cannot read genesis {path}: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates genesis JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="GenesisException">Not JSON, or invalid; the message names the field.</exception>
    public static GenesisDocument Parse(ReadOnlySpan<byte> json, string source = "genesis")
    {
        GenesisFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, CoreJsonContext.Default.GenesisFile);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            throw new GenesisException(source, [$"{field}: {FirstSentence(e.Message)}"]);
        }

        if (file is null)
        {
            throw new GenesisException(source, ["$: expected a JSON object"]);
        }

        return GenesisValidator.Validate(file, source);
    }

    /// <summary>The JSON form of <paramref name="genesis"/>, indented.</summary>
    public static byte[] Serialize(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ConsensusParameters c = genesis.Consensus;
        var file = new GenesisFile
        {
            Format = GenesisDocument.CurrentFormat,
            ChainId = genesis.ChainId,
            Persistence = genesis.Persistence == PersistenceMode.Strong ? "strong" : "weak",
            View = new GenesisViewSection
            {
                Id = genesis.InitialView.Id,
                Members = [.. genesis.InitialView.Members.Select(m => new GenesisMemberSection
                {
                    Id = m.Id,
                    Host = m.Host,
                    Port = m.Port,
                    ClientPort = m.ClientPort,
                    PublicKey = m.PublicKey.ToString(),
                    ViewKeys = EncodeKeys(genesis.ViewKeys[m.Id]),
                })],
            },
            Consensus = new GenesisConsensusSection
            {
                MaxBatch = c.MaxBatch,
                MaxBatchBytes = c.MaxBatchBytes,
                MaxRequestBytes = c.MaxRequestBytes,
                TickMs = c.TickMs,
                RequestTimeoutMs = c.RequestTimeoutMs,
                RequestWindow = c.RequestWindow,
            },
            CheckpointPeriod = genesis.CheckpointPeriod,
            Reconfiguration = new GenesisReconfigurationSection
            {
                JoinExpiryInstances = genesis.Reconfiguration.JoinExpiryInstances,
                ExclusionExpiryInstances = genesis.Reconfiguration.ExclusionExpiryInstances,
            },
            Coin = new GenesisCoinSection
            {
                Minters = [.. genesis.Minters.Select(k => k.ToString())],
                JoinPolicy = JoinPolicyName(genesis.JoinPolicy),
                JoinAllowList = [.. genesis.JoinAllowList.Select(k => k.ToString())],
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(file, CoreJsonContext.Default.GenesisFile);
    }

    /// <summary>The JSON name of a join policy.</summary>
    public static string JoinPolicyName(JoinPolicyMode mode) => mode switch
    {
        JoinPolicyMode.Endorsement => "endorsement",
        JoinPolicyMode.AllowList => "allow-list",
        _ => "endorsement-or-allow-list",
    };

    private static string EncodeKeys(IReadOnlyList<Crypto.Ed25519PublicKey> keys)
    {
        byte[] bytes = new byte[keys.Count * Crypto.Ed25519PublicKey.Size];
        for (int i = 0; i < keys.Count; i++)
        {
            keys[i].CopyTo(bytes.AsSpan(i * Crypto.Ed25519PublicKey.Size));
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>Writes <paramref name="genesis"/> to <paramref name="path"/> and fsyncs it.</summary>
    public static void Save(GenesisDocument genesis, string path)
    {
        DurableFile.WriteNew(path, Serialize(genesis));
    }

    // System.Text.Json appends "Path: ... | LineNumber: ..." and type names; keep the first sentence for people.
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
