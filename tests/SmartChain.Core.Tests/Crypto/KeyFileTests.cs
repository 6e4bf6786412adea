using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

public class KeyFileTests
{
    [Fact]
    public void A_saved_key_loads_back_with_the_same_public_key_and_mode_0600()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.key");
        using Ed25519KeyPair pair = Ed25519KeyPair.Generate();
        KeyFile.Save(pair, path);

        using Ed25519KeyPair loaded = KeyFile.Load(path);
        Assert.Equal(pair.PublicKey, loaded.PublicKey);
        Assert.True(Ed25519.Verify(pair.PublicKey, "m"u8, loaded.Sign("m"u8)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void A_key_file_others_can_access_is_refused_with_the_fix(UnixFileMode extra)
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.key");
        using Ed25519KeyPair pair = Ed25519KeyPair.Generate();
        KeyFile.Save(pair, path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var e = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));
        Assert.Contains("accessible by other users", e.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {path}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_into_a_missing_folder_names_the_folder()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "a.key");
        using Ed25519KeyPair pair = Ed25519KeyPair.Generate();
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Save(pair, path));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "missing"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_key_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.key");
        using Ed25519KeyPair first = Ed25519KeyPair.Generate();
        using Ed25519KeyPair second = Ed25519KeyPair.Generate();
        KeyFile.Save(first, path);
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Save(second, path));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        using Ed25519KeyPair loaded = KeyFile.Load(path);
        Assert.Equal(first.PublicKey, loaded.PublicKey);
    }

    [Theory]
    [InlineData("not json", "not a SmartChain key file")]
    [InlineData("{\"type\":\"rsa\",\"publicKey\":\"00\",\"privateKey\":\"00\"}", "type must be")]
    [InlineData("{\"type\":\"ed25519\",\"publicKey\":\"00\",\"privateKey\":\"zz\"}", "privateKey must be 64 hex digits")]
    [InlineData("{\"type\":\"ed25519\",\"publicKey\":\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511b\",\"privateKey\":\"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\"}", "does not match")]
    [InlineData("{\"type\":\"ed25519\",\"extra\":1}", "not a SmartChain key file")]
    public void A_corrupt_key_file_is_refused_with_the_reason(string contents, string reason)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.key");
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_reported()
    {
        var e = Assert.Throws<KeyFileException>(() => KeyFile.Load("/nonexistent/k.key"));
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }
}
