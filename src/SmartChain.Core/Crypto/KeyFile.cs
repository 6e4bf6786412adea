using System.Security.Cryptography;
using System.Text.Json;
using SmartChain.Core.IO;
using SmartChain.Core.Json;

namespace SmartChain.Core.Crypto;

/// <summary>
/// Reads and writes Ed25519 key files. A key file is small JSON (type, public key, private seed in hex), created
/// with mode 0600 and fsynced. Loading refuses a file that group or others may access, a file whose public key
/// does not match its seed, and anything that is not a key file, each with a message that names the file.
/// </summary>
public static class KeyFile
{
    /// <summary>The <c>type</c> field of every key file.</summary>
    public const string TypeName = "ed25519";

    private const long MaxFileBytes = 4096;

    private const UnixFileMode AccessByOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="keyPair"/> to a new file at <paramref name="path"/>, readable by the owner only.</summary>
    /// <exception cref="KeyFileException">The folder does not exist, the file exists, or it cannot be written.</exception>
    public static void Save(Ed25519KeyPair keyPair, string path)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new KeyFileException($"cannot write key file {path}: folder {folder} does not exist");
        }

        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new KeyFileException($"cannot write key file {path}: it already exists (a key is never overwritten)");
        }

        byte[] seed = keyPair.ExportSeed();
        byte[]? json = null;
        try
        {
            var contents = new KeyFileContents(TypeName, keyPair.PublicKey.ToString(), Convert.ToHexStringLower(seed));
            json = JsonSerializer.SerializeToUtf8Bytes(contents, CoreJsonContext.Default.KeyFileContents);
            DurableFile.WriteNew(full, json, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"cannot write key file {path}: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            if (json is not null)
            {
                CryptographicOperations.ZeroMemory(json);
            }
        }
    }

    /// <summary>Loads the key pair stored at <paramref name="path"/>.</summary>
    /// <exception cref="KeyFileException">The file is missing, too widely readable, or not a valid key file.</exception>
    public static Ed25519KeyPair Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new KeyFileException($"key file {path} not found");
        }

        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & AccessByOthers) != 0)
            {
                throw new KeyFileException(
                    $"key file {path} is accessible by other users (mode {FormatMode(mode)}); restrict it with 'chmod 600 {path}'");
            }
        }

        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new KeyFileException($"key file {path} is larger than {MaxFileBytes} bytes; it is not a SmartChain key file");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"cannot read key file {path}: {e.Message}", e);
        }

        try
        {
            return Parse(bytes, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static Ed25519KeyPair Parse(byte[] json, string path)
    {
        KeyFileContents? contents;
        try
        {
            contents = JsonSerializer.Deserialize(json, CoreJsonContext.Default.KeyFileContents);
        }
        catch (JsonException e)
        {
            throw new KeyFileException($"key file {path} is not a SmartChain key file: {e.Message}", e);
        }

        if (contents is null || contents.Type != TypeName)
        {
            throw new KeyFileException($"key file {path} is not a SmartChain key file: type must be \"{TypeName}\"");
        }

        byte[] seed = new byte[Ed25519.SeedSize];
        try
        {
            if (contents.PrivateKey is not { Length: Ed25519.SeedSize * 2 } ||
                Convert.FromHexString(contents.PrivateKey, seed, out _, out int written) != System.Buffers.OperationStatus.Done ||
                written != Ed25519.SeedSize)
            {
                throw new KeyFileException($"key file {path}: privateKey must be {Ed25519.SeedSize * 2} hex digits");
            }

            Ed25519KeyPair pair = Ed25519KeyPair.FromSeed(seed);
            if (!Ed25519PublicKey.TryParse(contents.PublicKey, out Ed25519PublicKey recorded) || recorded != pair.PublicKey)
            {
                pair.Dispose();
                throw new KeyFileException($"key file {path}: publicKey does not match the private key");
            }

            return pair;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
