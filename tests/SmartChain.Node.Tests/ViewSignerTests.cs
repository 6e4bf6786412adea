using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Node.Views;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Node.Tests;

/// <summary>
/// <see cref="ViewSigner.KeyFor"/> checks the chain file against the commitment a view names once per commitment: a
/// commitment that matched gives keys without the check again; any other is still checked, and refused if it does not
/// match, also after one matched.
/// </summary>
public sealed class ViewSignerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("viewsigner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static View ViewWith(long id, ReplicaMember me) =>
        new(id, [me, .. Enumerable.Range(1, 3).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 40000 + i, 41000 + i, Ed25519KeyPair.FromSeed([.. Enumerable.Repeat((byte)i, 32)]).PublicKey))]);

    [Fact]
    public void A_matched_commitment_signs_every_later_view_and_a_different_one_is_still_refused()
    {
        using var identity = Ed25519KeyPair.FromSeed([.. Enumerable.Repeat((byte)9, 32)]);
        using ViewKeyChain chain = ViewKeyChain.Create(Path.Combine(_folder, "chain"), 8);
        using ViewKeyChain other = ViewKeyChain.Create(Path.Combine(_folder, "other"), 8);
        var commitment = KeyChainCommitment.Create(chain.PublicKeys, 0);
        var me = new ReplicaMember(0, "127.0.0.1", 40000, 41000, identity.PublicKey, commitment, commitment.Prove(chain.PublicKeys, 0));
        using var signer = new ViewSigner(0, identity, chain);

        for (int call = 0; call < 3; call++)
        {
            Assert.Equal(chain.PublicKeys[0], signer.KeyFor(ViewWith(0, me))!.PublicKey);
        }

        // Another chain's commitment (a view naming keys this file does not hold) is checked, not taken from the cache.
        var foreign = KeyChainCommitment.Create(other.PublicKeys, 0);
        ReplicaMember impostor = me with { Chain = foreign, ViewKey = foreign.Prove(other.PublicKeys, 0) };
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => signer.KeyFor(ViewWith(0, impostor)));
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        Assert.Equal(chain.PublicKeys[0], signer.KeyFor(ViewWith(0, me))!.PublicKey);
    }
}
