using System.Diagnostics;

namespace SmartChain.Node.Tests;

/// <summary>The owner watch a replica process uses to exit with its owner (real processes, real pidfd).</summary>
public class ParentWatchTests
{
    [Fact]
    public async Task The_watch_completes_when_the_owner_is_killed_and_not_before()
    {
        using Process owner = Process.Start("sleep", "30");
        try
        {
            Task exited = ParentWatch.ExitOfAsync(owner.Id);
            Assert.False(exited.IsCompleted, "the watch completed while its owner runs");

            owner.Kill();
            await exited.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            if (!owner.HasExited)
            {
                owner.Kill();
            }
        }
    }

    [Fact]
    public async Task An_owner_that_is_already_gone_completes_the_watch_at_once()
    {
        using Process gone = Process.Start("true");
        await gone.WaitForExitAsync(); // reaped: the pid names no process now
        await ParentWatch.ExitOfAsync(gone.Id).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
