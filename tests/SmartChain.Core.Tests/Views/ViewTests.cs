using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Views;

namespace SmartChain.Core.Tests.Views;

public class ViewTests
{
    internal static ReplicaMember Member(int id) => Member(id, 0);

    // A member whose key chain covers views 0..7, so views of any of those ids accept it.
    internal static ReplicaMember Member(int id, long viewId)
    {
        Ed25519PublicKey[] chain = [.. Enumerable.Range(0, 8).Select(k => new Ed25519PublicKey(Hash256.Compute(System.Text.Encoding.UTF8.GetBytes($"chain {id} key {k}")).ToArray()))];
        var commitment = KeyChainCommitment.Create(chain, 0);
        return new ReplicaMember(id, "127.0.0.1", 20000 + (2 * id), 20001 + (2 * id), new Ed25519PublicKey(Hash256.Compute(BitConverter.GetBytes(id)).ToArray()),
            commitment, commitment.Prove(chain, viewId));
    }

    [Fact]
    public void Members_are_sorted_and_sizes_derived()
    {
        var view = new View(3, [Member(2, 3), Member(0, 3), Member(3, 3), Member(1, 3), Member(4, 3)]);
        Assert.Equal([0, 1, 2, 3, 4], view.Members.Select(m => m.Id));
        Assert.Equal((5, 1, 4), (view.N, view.F, view.Q));
        Assert.True(view.Contains(4));
        Assert.False(view.Contains(5));
    }

    [Fact]
    public void Repeated_ids_keys_or_endpoints_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new View(0, [Member(0), Member(0)]));
        Assert.Throws<ArgumentException>(() => new View(0, [Member(0), Member(1) with { PublicKey = Member(0).PublicKey }]));
        Assert.Throws<ArgumentException>(() => new View(0, [Member(0), Member(1) with { Port = Member(0).Port }]));
        Assert.Throws<ArgumentException>(() => new View(0, []));
    }

    [Fact]
    public void A_view_round_trips_and_its_decoder_checks_order()
    {
        var view = new View(7, [Member(0, 7), Member(1, 7), Member(2, 7), Member(3, 7)]);
        byte[] encoded = CanonicalEncoding.ToArray(view, static (ref CanonicalWriter w, View v) => v.WriteTo(ref w));
        View decoded = CanonicalEncoding.Decode(encoded, View.ReadFrom);
        Assert.Equal(view.Id, decoded.Id);
        Assert.Equal(view.Members, decoded.Members);

        // Swap the first two members' encodings: same set, wrong order, must not decode.
        byte[] first = CanonicalEncoding.ToArray(Member(0), static (ref CanonicalWriter w, ReplicaMember m) => m.WriteTo(ref w));
        int start = 8 + 4;
        byte[] swapped = [.. encoded[..start], .. encoded[(start + first.Length)..(start + (2 * first.Length))], .. first, .. encoded[(start + (2 * first.Length))..]];
        var e = Assert.Throws<EncodingException>(() => CanonicalEncoding.Decode(swapped, View.ReadFrom));
        Assert.Contains("increasing id order", e.Reason, StringComparison.Ordinal);
    }
}
