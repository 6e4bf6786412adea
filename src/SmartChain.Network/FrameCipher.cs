using System.Buffers.Binary;
using NSec.Cryptography;

namespace SmartChain.Network;

/// <summary>
/// ChaCha20-Poly1305 for one direction of a link. The nonce is a 64-bit frame counter that both ends advance in
/// step, so a replayed, reordered, dropped or injected frame fails authentication: TCP delivers in order, and any
/// gap means tampering.
/// </summary>
internal sealed class FrameCipher(Key key) : IDisposable
{
    public const int TagSize = 16;
    private ulong _counter;

    public static int SealedSize(int plaintext) => plaintext + TagSize;

    public void Seal(ReadOnlySpan<byte> plaintext, Span<byte> sealedOutput)
    {
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        AeadAlgorithm.ChaCha20Poly1305.Encrypt(key, nonce, [], plaintext, sealedOutput[..SealedSize(plaintext.Length)]);
    }

    public bool TryOpen(ReadOnlySpan<byte> sealedInput, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        return AeadAlgorithm.ChaCha20Poly1305.Decrypt(key, nonce, [], sealedInput, plaintext[..(sealedInput.Length - TagSize)]);
    }

    public void Dispose() => key.Dispose();

    private void NextNonce(Span<byte> nonce)
    {
        if (_counter == ulong.MaxValue)
        {
            throw new LinkException("frame counter exhausted; the link must be re-established");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _counter++);
    }
}
