using SmartChain.Core.Crypto;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Reconfiguration.Tests;

/// <summary>The forward-secure key chain: keys derive forward only, erasure overwrites the file in place, a torn erasure recovers.</summary>
public sealed class ViewKeyChainTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Keys_match_the_published_public_keys_and_survive_a_reopen()
    {
        string path = _dir.File("chain.bin");
        byte[] message = "view 3"u8.ToArray();
        byte[] signature;
        Ed25519PublicKey[] published;
        using (ViewKeyChain chain = ViewKeyChain.Create(path, 8))
        {
            published = [.. chain.PublicKeys];
            Assert.Equal(8, published.Distinct().Count());
            signature = chain.KeyAt(3).Sign(message);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using ViewKeyChain reopened = ViewKeyChain.Open(path);
        Assert.Equal(published, reopened.PublicKeys);
        Assert.True(Ed25519.Verify(published[3], message, signature));
        Assert.Equal(reopened.KeyAt(3).PublicKey, published[3]);
    }

    [Fact]
    public void Erasing_overwrites_the_old_seed_in_the_file_and_the_erased_keys_cannot_be_had_again()
    {
        string path = _dir.File("chain.bin");
        using ViewKeyChain chain = ViewKeyChain.Create(path, 8);
        byte[] before = File.ReadAllBytes(path);
        byte[] seed0 = SeedOf(before);

        chain.EraseBefore(2);

        byte[] after = File.ReadAllBytes(path);
        Assert.Equal(before.Length, after.Length);
        Assert.False(Contains(after, seed0), "the file still holds the seed of key 0");
        Assert.Equal(2, chain.Position);
        Assert.Throws<InvalidOperationException>(() => chain.KeyAt(1));
        Assert.Equal(chain.PublicKeys[2], chain.KeyAt(2).PublicKey);

        using ViewKeyChain reopened = ViewKeyChain.Open(path);
        Assert.Equal(2, reopened.Position);
        Assert.Throws<InvalidOperationException>(() => reopened.KeyAt(0));
        Assert.Equal(reopened.PublicKeys[7], reopened.KeyAt(7).PublicKey);
    }

    [Fact]
    public void Erasing_everything_leaves_no_seed_at_all()
    {
        string path = _dir.File("chain.bin");
        using (ViewKeyChain chain = ViewKeyChain.Create(path, 4))
        {
            chain.EraseBefore(chain.Length);
            Assert.Throws<InvalidOperationException>(() => chain.KeyAt(3));
        }

        byte[] file = File.ReadAllBytes(path);
        foreach (int slot in (int[])[file.Length - 80, file.Length - 40])
        {
            Assert.Equal(-1, BitConverter.ToInt32(file, slot)); // empty
            Assert.True(file.AsSpan(slot + 4, 32).IndexOfAnyExcept((byte)0) < 0, "a slot's seed bytes are zeroed");
        }

        using ViewKeyChain reopened = ViewKeyChain.Open(path);
        Assert.Equal(4, reopened.Position);
        Assert.Throws<InvalidOperationException>(() => reopened.KeyAt(3));
    }

    [Fact]
    public void A_crash_between_the_two_writes_of_an_erasure_keeps_the_newer_seed_and_erases_the_older_on_open()
    {
        string path = _dir.File("chain.bin");
        byte[] original;
        using (ViewKeyChain chain = ViewKeyChain.Create(path, 8))
        {
            original = File.ReadAllBytes(path);
            chain.EraseBefore(3);
        }

        // Put the old slot (index 0) back beside the new one (index 3): as if the crash came before the old was zeroed.
        byte[] torn = File.ReadAllBytes(path);
        int slotA = torn.Length - 80;
        original.AsSpan(slotA, 40).CopyTo(torn.AsSpan(slotA));
        File.WriteAllBytes(path, torn);

        using ViewKeyChain reopened = ViewKeyChain.Open(path);
        Assert.Equal(3, reopened.Position);
        Assert.False(Contains(File.ReadAllBytes(path), SeedOf(original)), "opening erased the leftover older seed");
    }

    [Fact]
    public void A_file_others_can_read_or_a_damaged_one_is_refused_with_the_reason()
    {
        string path = _dir.File("chain.bin");
        using (ViewKeyChain.Create(path, 2))
        {
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains("chmod 600", Assert.Throws<InvalidDataException>(() => ViewKeyChain.Open(path)).Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 1; // slot B's checksum: slot A still good
        bytes[^45] ^= 1; // slot A's checksum
        File.WriteAllBytes(path, bytes);
        Assert.Contains("both seed slots are damaged", Assert.Throws<InvalidDataException>(() => ViewKeyChain.Open(path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]  // slot B zero-filled: slot A still holds the seed
    [InlineData(80)]  // both slots zero-filled
    [InlineData(200)] // into the public keys too
    public void A_zero_filled_tail_is_a_damaged_slot_or_file_never_a_crash(int zeros)
    {
        // Issue 14, point 8. The file is written whole and fsynced before use, so zeros at its end mean damage below us;
        // the key chain must say so (or go on from the good slot), not fail with an exception of its own.
        string path = _dir.File("chain.bin");
        using (ViewKeyChain.Create(path, 4))
        {
        }

        byte[] bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, bytes.Length - zeros, zeros);
        File.WriteAllBytes(path, bytes);
        if (zeros == 40)
        {
            using ViewKeyChain chain = ViewKeyChain.Open(path);
            Assert.Equal(0, chain.Position);
            return;
        }

        Assert.Contains("both seed slots are damaged", Assert.Throws<InvalidDataException>(() => ViewKeyChain.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_seed_slot_beside_an_empty_one_is_refused_as_damaged()
    {
        // Found by fuzzing (fuzz/run.sh keychain): slot A's checksum broken and slot B empty (index -1) crashed Open
        // with "Nullable object must have a value" instead of saying the chain can no longer sign.
        string path = _dir.File("chain.bin");
        using (ViewKeyChain.Create(path, 2))
        {
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^45] ^= 1; // slot A's checksum; slot B is the empty slot of a new chain
        File.WriteAllBytes(path, bytes);
        Assert.Contains("can no longer sign", Assert.Throws<InvalidDataException>(() => ViewKeyChain.Open(path)).Message, StringComparison.Ordinal);
    }

    // Slot A holds the seed of a new chain: i32 index, then 32 bytes of seed.
    private static byte[] SeedOf(byte[] file) => file.AsSpan(file.Length - 80 + 4, 32).ToArray();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
