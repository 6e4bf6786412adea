using System.Text;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// A genesis in which replica 3's view key is a point of small order (the encoding of the identity point, 01 00 … 00),
/// as a Byzantine founder could choose, and a block certified by replicas 0 and 1 and by a "signature" of replica 3 that
/// any message satisfies under that key (R = the identity point, S = 0). libsodium (NSec, the C# verifier) refuses
/// small-order keys; a plain RFC 8032 check such as Chromium's WebCrypto accepts the signature. The receipt must fail
/// at the certificate in both.
/// </summary>
public sealed class SmallOrderKeyFixture
{
    public SmallOrderKeyFixture()
    {
        var keys = Enumerable.Range(0, 3).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(120 + i), 32).ToArray())).ToArray();
        byte[] identityPoint = new byte[32];
        identityPoint[0] = 1;
        var weak = new Ed25519PublicKey(identityPoint);
        var client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)130, 32).ToArray());
        var members = keys.Select((k, i) => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 28000 + (2 * i), 28001 + (2 * i), k.PublicKey)).ToList();
        var identity3 = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)131, 32).ToArray());
        members.Add(ReplicaMember.WithOneViewKey(3, "127.0.0.1", 28006, 28007, identity3.PublicKey, weak));
        Genesis = new GenesisDocument("small-order-test", PersistenceMode.Strong, new View(0, members), ConsensusParameters.Default, 1000, [client.PublicKey]);
        GenesisJsonText = Encoding.UTF8.GetString(GenesisJson.Serialize(Genesis));

        BuiltBlock b1 = BuiltBlock.Next(Block.Genesis(Genesis).Header, 1, [SignedRequest.Create(Genesis.ChainId, client, 1, 0, [1, 2]).Encoded],
            [new byte[] { 0 }], ReadOnlyMemory<byte>.Empty);
        Hash256 id = b1.Block.Header.Hash();
        byte[] forged = new byte[64];
        forged[0] = 1;
        var certificate = new BlockCertificate([
            (0, BlockCertificate.Sign(keys[0], Genesis.ChainId, id)),
            (1, BlockCertificate.Sign(keys[1], Genesis.ChainId, id)),
            (3, forged)]);
        Receipt = b1.Receipt(0, certificate).Encode();
    }

    public GenesisDocument Genesis { get; }

    public string GenesisJsonText { get; }

    public byte[] Receipt { get; }

    /// <summary>The C# verdict (TransactionReceipt.Verify in the genesis view).</summary>
    public string? CSharpVerdict() => TransactionReceipt.Decode(Receipt).Verify(Genesis.InitialView, Genesis.ChainId);
}
