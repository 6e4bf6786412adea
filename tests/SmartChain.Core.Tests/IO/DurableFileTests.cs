using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Core.IO;

namespace SmartChain.Core.Tests.IO;

/// <summary>
/// Issue 14, point 8: a durable new file (key files, key chains, genesis) also has its folder fsynced. This proves the
/// folder fsync is called on the right folder and succeeds, not that the disk keeps the name.
/// </summary>
public sealed class DurableFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-durable-").FullName;
    private readonly ConcurrentQueue<string> _synced = new();

    public DurableFileTests() => DurableDirectory.Synced += Record;

    public void Dispose()
    {
        DurableDirectory.Synced -= Record;
        Directory.Delete(_dir, recursive: true);
    }

    private void Record(string folder)
    {
        if (folder == _dir)
        {
            _synced.Enqueue(folder);
        }
    }

    [Fact]
    public void A_new_key_file_has_its_folder_fsynced()
    {
        using Ed25519KeyPair key = Ed25519KeyPair.Generate();
        KeyFile.Save(key, Path.Combine(_dir, "node.key"));
        Assert.Single(_synced);
    }

    [Fact]
    public void A_folder_that_cannot_be_opened_is_an_io_error_naming_it()
    {
        string missing = Path.Combine(_dir, "missing");
        var e = Assert.Throws<IOException>(() => DurableDirectory.Sync(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
