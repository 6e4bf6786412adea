using SmartChain.Core.IO;

namespace SmartChain.Core.Tests.IO;

public sealed class DirectoryLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_held_lock_refuses_a_second_holder_naming_the_folder_and_the_holder_until_it_is_released()
    {
        using (DirectoryLock held = DirectoryLock.Acquire(_dir))
        {
            Assert.True(DirectoryLock.IsHeld(_dir));
            var e = Assert.Throws<DirectoryLockedException>(() => DirectoryLock.Acquire(_dir, () => "pid 42"));
            Assert.Equal($"{_dir} is in use by pid 42, which holds {Path.Combine(_dir, "LOCK")}; stop it first", e.Message);
        }

        // The LOCK file stays behind, as after a crash: it is the kernel's lock, not the file, that excludes.
        Assert.True(File.Exists(Path.Combine(_dir, DirectoryLock.FileName)));
        Assert.False(DirectoryLock.IsHeld(_dir));
        using DirectoryLock again = DirectoryLock.Acquire(_dir);
        Assert.True(DirectoryLock.IsHeld(_dir));
    }

    [Fact]
    public void A_folder_never_locked_is_not_held()
    {
        Assert.False(DirectoryLock.IsHeld(_dir));
        Assert.False(File.Exists(Path.Combine(_dir, DirectoryLock.FileName)));
    }
}
