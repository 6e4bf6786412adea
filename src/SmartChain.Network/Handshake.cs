using System.Security.Cryptography;
using NSec.Cryptography;
using SmartChain.Core.Crypto;

namespace SmartChain.Network;

/// <summary>
/// The link handshake's cryptography (SIGMA-style, see docs/network.md): ephemeral X25519, a transcript of both
/// hellos signed by each side's Ed25519 identity key (with a role tag, so one side's signature cannot be reflected
/// back as the other's), and HKDF-SHA256 over the X25519 secret salted with the transcript, giving one
/// ChaCha20-Poly1305 key per direction.
/// </summary>
internal sealed class Handshake : IDisposable
{
    private const byte InitiatorRole = 0x49; // 'I'
    private const byte ResponderRole = 0x52; // 'R'
    private static readonly byte[] TranscriptLabel = "smartchain link v1 transcript"u8.ToArray();
    private static readonly byte[] KeyLabel = "smartchain link v1 keys"u8.ToArray();

    private readonly Key _ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);

    public Handshake(string chainId, LinkCredentials me)
    {
        ArgumentNullException.ThrowIfNull(me);
        MyHello = new Hello(chainId, me.ReplicaId, me.Key.PublicKey, _ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        MyHelloBytes = MyHello.Encode();
    }

    public Hello MyHello { get; }

    public byte[] MyHelloBytes { get; }

    public static byte[] Transcript(ReadOnlySpan<byte> initiatorHello, ReadOnlySpan<byte> responderHello)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(TranscriptLabel);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, initiatorHello.Length);
        sha.AppendData(length);
        sha.AppendData(initiatorHello);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, responderHello.Length);
        sha.AppendData(length);
        sha.AppendData(responderHello);
        return sha.GetHashAndReset();
    }

    public static byte[] Sign(Ed25519KeyPair identity, bool initiator, byte[] transcript) =>
        identity.Sign([initiator ? InitiatorRole : ResponderRole, .. transcript]);

    public static bool Verify(Ed25519PublicKey identity, bool initiator, byte[] transcript, ReadOnlySpan<byte> signature) =>
        Core.Crypto.Ed25519.Verify(identity, [initiator ? InitiatorRole : ResponderRole, .. transcript], signature);

    /// <summary>The keys for sending and receiving; null if the peer's ephemeral key is unusable (e.g. a low-order point).</summary>
    public (Key Send, Key Receive)? DeriveKeys(byte[] peerEphemeral, byte[] transcript, bool initiator)
    {
        if (!PublicKey.TryImport(KeyAgreementAlgorithm.X25519, peerEphemeral, KeyBlobFormat.RawPublicKey, out PublicKey? peer) || peer is null)
        {
            return null;
        }

        using SharedSecret? secret = KeyAgreementAlgorithm.X25519.Agree(_ephemeral, peer);
        if (secret is null)
        {
            return null;
        }

        byte[] material = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, transcript, KeyLabel, 64);
        try
        {
            Key toResponder = Key.Import(AeadAlgorithm.ChaCha20Poly1305, material.AsSpan(0, 32), KeyBlobFormat.RawSymmetricKey);
            Key toInitiator = Key.Import(AeadAlgorithm.ChaCha20Poly1305, material.AsSpan(32, 32), KeyBlobFormat.RawSymmetricKey);
            return initiator ? (toResponder, toInitiator) : (toInitiator, toResponder);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    public void Dispose() => _ephemeral.Dispose();
}
