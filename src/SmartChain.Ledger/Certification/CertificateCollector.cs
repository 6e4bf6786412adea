using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Ledger.Certification;

/// <summary>
/// Collects replicas' header signatures into block certificates (SPEC §4.2). A signature counts only if it is over
/// this replica's own header for that block and verifies with the signer's key; one over a different header is
/// evidence against its signer (two correct replicas never build different blocks with the same number). Signatures
/// may arrive before this replica has built the block: they wait, unverified, within a bounded window. Each block is
/// certified by the view in force at it (<see cref="ViewFrom"/>): signatures count only from its members, with their
/// keys of that view. Pure and single-threaded: no clock, no I/O.
/// </summary>
public sealed class CertificateCollector
{
    private readonly List<(long From, View View)> _views = []; // by first block, increasing; the newest is nearly always the one asked for
    private readonly string _chainId;
    private readonly int _window;
    private readonly Action<int, long, string> _evidence;
    private readonly Dictionary<long, PendingCertificate> _pending = [];
    private readonly SortedSet<long> _uncertified = [];
    private long _highestLocal = -1;

    /// <summary>
    /// Collects for <paramref name="view"/>, in force from block 1 until <see cref="ViewFrom"/> says otherwise.
    /// <paramref name="evidence"/> hears (signer, block, what it did wrong); <paramref name="window"/> bounds how far beyond
    /// the local height signatures are kept.
    /// </summary>
    public CertificateCollector(View view, string chainId, Action<int, long, string> evidence, int window = 4096)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(evidence);
        _views.Add((1, view));
        _chainId = chainId;
        _evidence = evidence;
        _window = window;
    }

    /// <summary>
    /// <paramref name="view"/> is in force from block <paramref name="firstBlock"/> on (the block after a reconfiguration
    /// block). Call before that block is registered with <see cref="SetLocal"/>.
    /// </summary>
    public void ViewFrom(long firstBlock, View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        int at = _views.FindIndex(v => v.From >= firstBlock);
        if (at < 0)
        {
            _views.Add((firstBlock, view));
        }
        else if (_views[at].From == firstBlock)
        {
            _views[at] = (firstBlock, view);
        }
        else
        {
            _views.Insert(at, (firstBlock, view));
        }
    }

    /// <summary>The view that certifies block <paramref name="number"/>, as far as this collector knows.</summary>
    public View ViewAt(long number)
    {
        for (int i = _views.Count - 1; i > 0; i--)
        {
            if (_views[i].From <= number)
            {
                return _views[i].View;
            }
        }

        return _views[0].View;
    }

    /// <summary>Blocks built here whose certificate is not complete yet, lowest first.</summary>
    public IReadOnlyCollection<long> Uncertified => _uncertified;

    /// <summary>The lowest block built here and not certified yet, if any.</summary>
    public long? LowestUncertified => _uncertified.Count == 0 ? null : _uncertified.Min;

    /// <summary>Number of signatures waiting for a block not built here yet.</summary>
    public int Buffered => _pending.Values.Sum(p => p.Local is null ? p.Unverified.Count : 0);

    /// <summary>
    /// Records that every block up to <paramref name="height"/> exists here; those not then registered with
    /// <see cref="SetLocal"/> count as certified (a restarted replica's certified ledger).
    /// </summary>
    public void SkipTo(long height) => _highestLocal = Math.Max(_highestLocal, height);

    /// <summary>The header hash of block <paramref name="number"/> if it is built here and still waits for its certificate.</summary>
    public Hash256? UncertifiedHash(long number) => _uncertified.Contains(number) ? _pending[number].Local : null;

    /// <summary>
    /// Block <paramref name="number"/> was certified without this collector (its certificate came by state transfer):
    /// stop collecting signatures for it.
    /// </summary>
    public void Certified(long number)
    {
        _pending.Remove(number);
        _uncertified.Remove(number);
    }

    /// <summary>
    /// This replica has built (and persisted) block <paramref name="number"/> with header hash <paramref name="hash"/>, and
    /// signed it (<paramref name="own"/>: its id and signature; null if it does not sign this block). Returns its
    /// certificate if signatures that arrived earlier already complete it.
    /// </summary>
    public BlockCertificate? SetLocal(long number, Hash256 hash, (int Replica, ReadOnlyMemory<byte> Signature)? own = null)
    {
        _highestLocal = Math.Max(_highestLocal, number);
        PendingCertificate pending = Get(number);
        if (pending.Local is not null)
        {
            return null;
        }

        pending.Local = hash;
        _uncertified.Add(number);

        // This replica's own signature, made just now over its own header with its key of the block's view, is not
        // verified again (issue 16). Its id must be a member of that view: the caller signs only then.
        if (own is { } mine)
        {
            pending.Unverified.Remove(mine.Replica);
            pending.Valid[mine.Replica] = mine.Signature;
        }

        // Only as many as the quorum needs are verified: the certificate takes Q signatures, and a signature beyond them
        // would cost a verification and add nothing (docs/consensus.md, "Votes beyond a quorum").
        int quorum = ViewAt(number).Q;
        foreach ((int from, (Hash256 signed, ReadOnlyMemory<byte> signature)) in pending.Unverified)
        {
            if (pending.Valid.Count >= quorum)
            {
                break;
            }

            Count(pending, from, number, signed, signature);
        }

        pending.Unverified.Clear();
        return Complete(number, pending);
    }

    /// <summary>
    /// A signature of replica <paramref name="from"/> (authenticated by its link) for block <paramref name="number"/>.
    /// Returns the certificate if it completes one; null otherwise (kept, ignored, or refused as evidence).
    /// </summary>
    public BlockCertificate? Add(int from, long number, Hash256 hash, ReadOnlyMemory<byte> signature)
    {
        if (number <= 0 || (number <= _highestLocal && !_pending.ContainsKey(number)))
        {
            return null; // genesis, or already certified here
        }

        // Beyond the local height the block's view may not be known yet (a view installed by a block not executed here):
        // membership is checked once the block is, in Count.
        if (number <= _highestLocal && !ViewAt(number).Contains(from))
        {
            _evidence(from, number, $"signature from replica {from}, which is not in {ViewAt(number)}");
            return null;
        }

        if (number > _highestLocal + _window)
        {
            // A peer far ahead (this replica is catching up): it answers again when this replica asks for the block.
            return null;
        }

        PendingCertificate pending = Get(number);
        if (pending.Local is null)
        {
            pending.Unverified.TryAdd(from, (hash, signature));
            return null;
        }

        Count(pending, from, number, hash, signature);
        return Complete(number, pending);
    }

    /// <summary>
    /// A whole certificate of block <paramref name="number"/> that replica <paramref name="from"/> (authenticated by its
    /// link) sent for header <paramref name="hash"/>: returned, and the block no longer collected, if the block is built
    /// here, still uncertified, and the certificate holds Q valid signatures of the view that certifies it over this
    /// replica's own header. Null otherwise; one that does not hold, or certifies another header, is evidence against its
    /// sender. It is how a block of a view the others have left gets certified once fewer than Q of its signers can
    /// still sign: what they certified then is checked with the keys the view published, as any certificate is.
    /// </summary>
    public BlockCertificate? Adopt(int from, long number, Hash256 hash, BlockCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (UncertifiedHash(number) is not { } local)
        {
            return null; // not built here yet (asked for only once built), or certified already
        }

        View view = ViewAt(number);
        if (certificate.Verify(view, _chainId, hash) is { } why)
        {
            _evidence(from, number, $"replica {from} sent a certificate of block {number} that does not hold in {view}: {why}");
            return null;
        }

        if (hash != local)
        {
            _evidence(from, number, $"replica {from} sent a certificate of header {hash} for block {number}; this replica's header is {local}");
            return null;
        }

        Certified(number);
        return certificate;
    }

    private PendingCertificate Get(long number)
    {
        if (!_pending.TryGetValue(number, out PendingCertificate? pending))
        {
            pending = new PendingCertificate();
            _pending.Add(number, pending);
        }

        return pending;
    }

    // A signature refused once refuses its signer for that block: a correct replica's never fails, and a Byzantine one
    // repeating a bad one would otherwise cost a signature check and an evidence line each time.
    private void Count(PendingCertificate pending, int from, long number, Hash256 signed, ReadOnlyMemory<byte> signature)
    {
        if (pending.Valid.ContainsKey(from) || pending.Refused.Contains(from))
        {
            return;
        }

        if (Refusal(from, number, signed, signature, pending.Local) is { } why)
        {
            pending.Refused.Add(from);
            _evidence(from, number, why);
            return;
        }

        pending.Valid[from] = signature;
    }

    private string? Refusal(int from, long number, Hash256 signed, ReadOnlyMemory<byte> signature, Hash256? local)
    {
        if (signed != local)
        {
            return $"replica {from} signed header {signed} for block {number}; this replica's header is {local}";
        }

        View view = ViewAt(number);
        if (!view.TryGetMember(from, out ReplicaMember? member) || member is null)
        {
            return $"signature from replica {from}, which is not in {view}";
        }

        return Ed25519.Verify(member.ViewKey.Key, BlockCertificate.Statement(_chainId, signed), signature.Span) ? null
            : $"replica {from}'s signature of block {number} does not verify with its key of view {view.Id}";
    }

    private BlockCertificate? Complete(long number, PendingCertificate pending)
    {
        if (pending.Valid.Count < ViewAt(number).Q)
        {
            return null;
        }

        _pending.Remove(number);
        _uncertified.Remove(number);
        return new BlockCertificate([.. pending.Valid.OrderBy(v => v.Key).Select(v => (v.Key, v.Value))]);
    }

    private sealed class PendingCertificate
    {
        public Hash256? Local { get; set; }

        public Dictionary<int, (Hash256 Hash, ReadOnlyMemory<byte> Signature)> Unverified { get; } = [];

        public SortedDictionary<int, ReadOnlyMemory<byte>> Valid { get; } = [];

        public HashSet<int> Refused { get; } = [];
    }
}
