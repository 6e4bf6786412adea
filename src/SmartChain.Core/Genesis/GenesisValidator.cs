using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Core.Genesis;

/// <summary>Turns a parsed genesis.json into a <see cref="GenesisDocument"/>, collecting every problem with its field.</summary>
internal sealed class GenesisValidator
{
    private readonly List<string> _errors = [];
    private readonly Dictionary<int, IReadOnlyList<Ed25519PublicKey>> _viewKeys = [];

    public static GenesisDocument Validate(GenesisFile file, string source)
    {
        var validator = new GenesisValidator();
        GenesisDocument? genesis = validator.Build(file);
        if (validator._errors.Count > 0 || genesis is null)
        {
            throw new GenesisException(source, validator._errors);
        }

        return genesis;
    }

    private GenesisDocument? Build(GenesisFile file)
    {
        if (file.Format is not GenesisDocument.CurrentFormat)
        {
            Error("format", file.Format is null ? "missing" : $"unsupported format {file.Format}; this version reads format {GenesisDocument.CurrentFormat}");
        }

        if (ChainId.Validate(file.ChainId) is { } chainProblem)
        {
            Error("chainId", file.ChainId is null ? "missing" : chainProblem);
        }

        PersistenceMode? persistence = file.Persistence switch
        {
            "strong" => PersistenceMode.Strong,
            "weak" => PersistenceMode.Weak,
            null => Error<PersistenceMode?>("persistence", "missing (expected \"strong\" or \"weak\")"),
            _ => Error<PersistenceMode?>("persistence", $"unknown mode \"{file.Persistence}\" (expected \"strong\" or \"weak\")"),
        };

        View? view = BuildView(file.View);
        ConsensusParameters consensus = BuildConsensus(file.Consensus ?? new GenesisConsensusSection());
        long checkpointPeriod = file.CheckpointPeriod ?? GenesisDocument.DefaultCheckpointPeriod;
        if (checkpointPeriod < 2)
        {
            Error("checkpointPeriod", $"{checkpointPeriod} must be at least 2 (every checkpointPeriod-th block is a checkpoint block)");
        }

        List<Ed25519PublicKey> minters = BuildKeys(file.Coin?.Minters ?? [], "coin.minters", "minter");
        List<Ed25519PublicKey> allowList = BuildKeys(file.Coin?.JoinAllowList ?? [], "coin.joinAllowList", "allow-list");
        JoinPolicyMode? policy = file.Coin?.JoinPolicy switch
        {
            null or "endorsement-or-allow-list" => JoinPolicyMode.EndorsementOrAllowList,
            "endorsement" => JoinPolicyMode.Endorsement,
            "allow-list" => JoinPolicyMode.AllowList,
            _ => Error<JoinPolicyMode?>("coin.joinPolicy", $"unknown policy \"{file.Coin.JoinPolicy}\" (expected \"endorsement-or-allow-list\", \"endorsement\" or \"allow-list\")"),
        };
        ReconfigurationParameters reconfiguration = BuildReconfiguration(file.Reconfiguration ?? new GenesisReconfigurationSection());
        if (_errors.Count > 0 || view is null || persistence is null || policy is null)
        {
            return null;
        }

        return new GenesisDocument(file.ChainId!, persistence.Value, view, consensus, checkpointPeriod, minters, _viewKeys, reconfiguration, policy.Value, allowList);
    }

    private ReconfigurationParameters BuildReconfiguration(GenesisReconfigurationSection s)
    {
        ReconfigurationParameters d = ReconfigurationParameters.Default;
        var p = new ReconfigurationParameters
        {
            JoinExpiryInstances = s.JoinExpiryInstances ?? d.JoinExpiryInstances,
            ExclusionExpiryInstances = s.ExclusionExpiryInstances ?? d.ExclusionExpiryInstances,
        };
        Range("reconfiguration.joinExpiryInstances", p.JoinExpiryInstances, 1, long.MaxValue / 4);
        Range("reconfiguration.exclusionExpiryInstances", p.ExclusionExpiryInstances, 1, long.MaxValue / 4);
        return p;
    }

    private View? BuildView(GenesisViewSection? section)
    {
        if (section is null)
        {
            Error("view", "missing");
            return null;
        }

        long id = section.Id ?? 0;
        if (id != 0)
        {
            Error("view.id", $"{id}: the genesis view is view 0 (later views come from reconfiguration blocks)");
        }

        List<GenesisMemberSection?> entries = section.Members ?? [];
        if (entries.Count < Limits.MinViewMembers)
        {
            Error("view.members", $"{entries.Count} replicas; a network needs at least {Limits.MinViewMembers} (n = 3f+1 with f >= 1)");
        }
        else if (entries.Count > Limits.MaxViewMembers)
        {
            Error("view.members", $"{entries.Count} replicas; at most {Limits.MaxViewMembers} are supported");
        }

        int errorsBefore = _errors.Count;
        var members = new List<ReplicaMember>();
        var ids = new Dictionary<int, int>();
        var endpoints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var keys = new Dictionary<Ed25519PublicKey, int>();
        for (int i = 0; i < entries.Count; i++)
        {
            string at = $"view.members[{i}]";
            if (entries[i] is not { } entry)
            {
                Error(at, "missing");
                continue;
            }

            ReplicaMember? member = BuildMember(entry, at);
            if (member is null)
            {
                continue;
            }

            if (!ids.TryAdd(member.Id, i))
            {
                Error($"{at}.id", $"duplicate replica id {member.Id} (also view.members[{ids[member.Id]}])");
            }

            foreach (string endpoint in (string[])[member.ReplicaEndpoint, member.ClientEndpoint])
            {
                if (!endpoints.TryAdd(endpoint, at))
                {
                    Error(at, $"duplicate address {endpoint} (also used by {endpoints[endpoint]})");
                }
            }

            if (!keys.TryAdd(member.PublicKey, i))
            {
                Error($"{at}.publicKey", $"duplicate key (also view.members[{keys[member.PublicKey]}])");
            }

            members.Add(member);
        }

        if (_errors.Count != errorsBefore || members.Count < Limits.MinViewMembers)
        {
            return null;
        }

        try
        {
            return new View(0, members);
        }
        catch (ArgumentException e)
        {
            Error("view.members", e.Message);
            return null;
        }
    }

    private ReplicaMember? BuildMember(GenesisMemberSection entry, string at)
    {
        int errorsBefore = _errors.Count;
        if (entry.Id is not { } id || id < 0)
        {
            Error($"{at}.id", entry.Id is null ? "missing" : $"{entry.Id} is negative");
        }

        if (string.IsNullOrWhiteSpace(entry.Host))
        {
            Error($"{at}.host", "missing");
        }
        else if (entry.Host.Length > Limits.MaxHostBytes || Uri.CheckHostName(entry.Host) == UriHostNameType.Unknown)
        {
            Error($"{at}.host", $"\"{entry.Host}\" is not a host name or IP address");
        }

        CheckPort(entry.Port, $"{at}.port");
        CheckPort(entry.ClientPort, $"{at}.clientPort");
        if (entry.Port is { } p && p == entry.ClientPort)
        {
            Error($"{at}.clientPort", $"must differ from port ({p})");
        }

        if (!Ed25519PublicKey.TryParse(entry.PublicKey, out Ed25519PublicKey key))
        {
            Error($"{at}.publicKey", entry.PublicKey is null ? "missing" : "bad key: expected 64 hex digits (an Ed25519 public key)");
        }

        Ed25519PublicKey[]? viewKeys = BuildViewKeys(entry.ViewKeys, key, $"{at}.viewKeys");
        if (_errors.Count != errorsBefore || viewKeys is null)
        {
            return null;
        }

        var chain = KeyChainCommitment.Create(viewKeys, 0);
        _viewKeys[entry.Id!.Value] = viewKeys;
        return new ReplicaMember(entry.Id!.Value, entry.Host!, entry.Port!.Value, entry.ClientPort!.Value, key, chain, chain.Prove(viewKeys, 0));
    }

    // Absent: the member's only view key is its identity key (view 0 only; no reconfiguration can keep it).
    private Ed25519PublicKey[]? BuildViewKeys(string? base64, Ed25519PublicKey identity, string field)
    {
        if (base64 is null)
        {
            return [identity];
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            Error(field, "not base64");
            return null;
        }

        int count = bytes.Length / Ed25519PublicKey.Size;
        if (bytes.Length % Ed25519PublicKey.Size != 0 || count < 1 || count > KeyChainCommitment.MaxLength)
        {
            Error(field, $"{bytes.Length} bytes; expected 1..{KeyChainCommitment.MaxLength} Ed25519 public keys of {Ed25519PublicKey.Size} bytes each");
            return null;
        }

        var keys = new Ed25519PublicKey[count];
        var seen = new HashSet<Ed25519PublicKey>();
        for (int i = 0; i < count; i++)
        {
            keys[i] = new Ed25519PublicKey(bytes.AsSpan(i * Ed25519PublicKey.Size, Ed25519PublicKey.Size));
            if (!seen.Add(keys[i]))
            {
                Error(field, $"key {i} repeats an earlier key of the chain");
                return null;
            }
        }

        return keys;
    }

    private void CheckPort(int? port, string field)
    {
        if (port is null)
        {
            Error(field, "missing");
        }
        else if (port is < 1 or > 65535)
        {
            Error(field, $"{port} is not a TCP port (1..65535)");
        }
    }

    private ConsensusParameters BuildConsensus(GenesisConsensusSection s)
    {
        ConsensusParameters d = ConsensusParameters.Default;
        var p = new ConsensusParameters
        {
            MaxBatch = s.MaxBatch ?? d.MaxBatch,
            MaxBatchBytes = s.MaxBatchBytes ?? d.MaxBatchBytes,
            MaxRequestBytes = s.MaxRequestBytes ?? d.MaxRequestBytes,
            TickMs = s.TickMs ?? d.TickMs,
            RequestTimeoutMs = s.RequestTimeoutMs ?? d.RequestTimeoutMs,
            RequestWindow = s.RequestWindow ?? d.RequestWindow,
        };
        Range("consensus.maxBatch", p.MaxBatch, 1, Limits.MaxBatchRequests);
        Range("consensus.maxRequestBytes", p.MaxRequestBytes, Limits.RequestOverheadBytes + 1, Limits.MaxRequestBytes);
        Range("consensus.maxBatchBytes", p.MaxBatchBytes, p.MaxRequestBytes, Limits.MaxBatchBytes);
        Range("consensus.tickMs", p.TickMs, 1, 10_000);
        Range("consensus.requestTimeoutMs", p.RequestTimeoutMs, 2 * p.TickMs, 3_600_000);
        Range("consensus.requestWindow", p.RequestWindow, 1, 100_000_000);
        return p;
    }

    private List<Ed25519PublicKey> BuildKeys(List<string?> entries, string field, string what)
    {
        var minters = new List<Ed25519PublicKey>();
        if (entries.Count > Limits.MaxMinters)
        {
            Error(field, $"{entries.Count} keys; at most {Limits.MaxMinters} are allowed");
            return minters;
        }

        var seen = new HashSet<Ed25519PublicKey>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (!Ed25519PublicKey.TryParse(entries[i], out Ed25519PublicKey key))
            {
                Error($"{field}[{i}]", "bad key: expected 64 hex digits (an Ed25519 public key)");
            }
            else if (!seen.Add(key))
            {
                Error($"{field}[{i}]", $"duplicate {what} key");
            }
            else
            {
                minters.Add(key);
            }
        }

        return minters;
    }

    private void Range(string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Error(field, $"{value} outside {min}..{max}");
        }
    }

    private void Error(string field, string reason) => _errors.Add($"{field}: {reason}");

    private T? Error<T>(string field, string reason)
    {
        Error(field, reason);
        return default;
    }
}
