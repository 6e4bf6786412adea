using System.Collections.Frozen;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Views;

/// <summary>
/// The set of replicas in force (SPEC "cv"): members sorted by id, with n, f = ⌊(n−1)/3⌋ and
/// Q = ⌈(n+f+1)/2⌉. Immutable; a reconfiguration creates the next view. Every member's view key must be the leaf of its
/// key chain for this view's id, shown by its Merkle path: a signature in view v counts only if made with a view-v key.
/// </summary>
public sealed class View
{
    private readonly FrozenDictionary<int, ReplicaMember> _byId;

    /// <summary>Creates a view; members are kept in id order.</summary>
    /// <exception cref="ArgumentException">
    /// No members, a negative id, a repeated id, key or endpoint, or a view key that is not its chain's key for this view.
    /// </exception>
    public View(long id, IEnumerable<ReplicaMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ReplicaMember[] sorted = [.. members];
        if (sorted.Length == 0 || sorted.Length > Limits.MaxViewMembers)
        {
            throw new ArgumentException($"a view has 1..{Limits.MaxViewMembers} members, got {sorted.Length}", nameof(members));
        }

        Array.Sort(sorted, static (a, b) => a.Id.CompareTo(b.Id));
        var keys = new HashSet<Ed25519PublicKey>();
        var endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < sorted.Length; i++)
        {
            ReplicaMember m = sorted[i];
            if (m.Id < 0 || (i > 0 && sorted[i - 1].Id == m.Id))
            {
                throw new ArgumentException($"replica id {m.Id} is negative or repeated", nameof(members));
            }

            if (!keys.Add(m.PublicKey) || (m.ViewKey.Key != m.PublicKey && !keys.Add(m.ViewKey.Key)))
            {
                throw new ArgumentException($"replica {m.Id} repeats another member's public key", nameof(members));
            }

            if (m.Chain.Check(m.ViewKey, id) is { } wrongKey)
            {
                throw new ArgumentException($"replica {m.Id}: {wrongKey}", nameof(members));
            }

            if (!endpoints.Add(m.ReplicaEndpoint) || !endpoints.Add(m.ClientEndpoint))
            {
                throw new ArgumentException($"replica {m.Id} repeats an endpoint", nameof(members));
            }
        }

        Id = id;
        Members = sorted;
        _byId = sorted.ToFrozenDictionary(m => m.Id);
        F = Quorums.FaultThreshold(N);
        Q = Quorums.Quorum(N);
    }

    /// <summary>View number, 0 for the genesis view; increases with each reconfiguration.</summary>
    public long Id { get; }

    /// <summary>Members in increasing id order.</summary>
    public IReadOnlyList<ReplicaMember> Members { get; }

    /// <summary>Number of replicas.</summary>
    public int N => Members.Count;

    /// <summary>Most faulty replicas tolerated.</summary>
    public int F { get; }

    /// <summary>Byzantine quorum size.</summary>
    public int Q { get; }

    /// <summary>True if <paramref name="replicaId"/> is a member.</summary>
    public bool Contains(int replicaId) => _byId.ContainsKey(replicaId);

    /// <summary>The member with <paramref name="replicaId"/>, if any.</summary>
    public bool TryGetMember(int replicaId, out ReplicaMember? member) => _byId.TryGetValue(replicaId, out member);

    /// <summary>Canonical encoding: i64 view id, member count, members in id order.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteInt64(Id);
        writer.WriteCount(Members.Count, Limits.MaxViewMembers);
        foreach (ReplicaMember m in Members)
        {
            m.WriteTo(ref writer);
        }
    }

    /// <summary>Reads a view written by <see cref="WriteTo"/>; members must be in strictly increasing id order.</summary>
    public static View ReadFrom(ref CanonicalReader reader)
    {
        long id = reader.ReadInt64(0, long.MaxValue);
        int at = reader.Position;
        int count = reader.ReadCount(Limits.MaxViewMembers, ReplicaMember.MinEncodedBytes);
        if (count == 0)
        {
            throw new EncodingException(at, "a view has at least one member");
        }

        var members = new ReplicaMember[count];
        for (int i = 0; i < count; i++)
        {
            int memberAt = reader.Position;
            members[i] = ReplicaMember.ReadFrom(ref reader);
            if (i > 0 && members[i].Id <= members[i - 1].Id)
            {
                throw new EncodingException(memberAt, "view members are not in strictly increasing id order");
            }
        }

        try
        {
            return new View(id, members);
        }
        catch (ArgumentException e)
        {
            throw new EncodingException(at, e.Message);
        }
    }

    /// <summary>The canonical bytes of <see cref="WriteTo"/>.</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, View v) => v.WriteTo(ref w));

    /// <summary>Reads the bytes of <see cref="Encode"/>.</summary>
    /// <exception cref="EncodingException">Not a view; the message says where and why.</exception>
    public static View Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) => ReadFrom(ref r));

    /// <summary>The member whose identity key is <paramref name="identity"/>, if any.</summary>
    public ReplicaMember? MemberWithIdentity(Ed25519PublicKey identity)
    {
        foreach (ReplicaMember m in Members)
        {
            if (m.PublicKey == identity)
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>Member ids, e.g. "0, 1, 2, 3", for logs.</summary>
    public string MemberList => string.Join(", ", Members.Select(m => m.Id));

    /// <inheritdoc />
    public override string ToString() => $"view {Id} (n={N}, f={F}, Q={Q})";
}
