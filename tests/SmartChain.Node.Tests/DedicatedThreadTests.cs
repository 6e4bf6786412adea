using System.Diagnostics;

namespace SmartChain.Node.Tests;

/// <summary>The consensus thread's own clock: beats on the thread itself, idle or busy.</summary>
public class DedicatedThreadTests
{
    [Fact]
    public async Task An_idle_thread_beats_on_itself_at_its_period()
    {
        using var thread = new DedicatedThread("beat-idle");
        var tenth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int beats = 0;
        bool elsewhere = false;
        long started = Stopwatch.GetTimestamp();
        thread.Beat(TimeSpan.FromMilliseconds(5), () =>
        {
            elsewhere |= Environment.CurrentManagedThreadId != thread.ManagedThreadId;
            if (++beats == 10)
            {
                tenth.TrySetResult();
            }
        });

        await tenth.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(elsewhere);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(45), $"10 beats of 5 ms in {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task A_thread_that_never_runs_out_of_work_still_beats()
    {
        using var thread = new DedicatedThread("beat-busy");
        var fifth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int beats = 0;
        long items = 0;
        thread.Beat(TimeSpan.FromMilliseconds(5), () =>
        {
            if (++beats == 5)
            {
                fifth.TrySetResult();
            }
        });

        // Each item posts the next before it ends, so the queue is never empty while the beats are awaited.
        void Work(object? _)
        {
            items++;
            if (!fifth.Task.IsCompleted)
            {
                thread.Post(Work, null);
            }
        }

        thread.Post(Work, null);
        await fifth.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(Interlocked.Read(ref items) > 5, $"{items} work items ran");
    }
}
