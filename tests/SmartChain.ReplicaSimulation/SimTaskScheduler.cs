namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The replica's "background" scheduler under simulation (snapshot encoding, snapshot chunks served): work is posted to
/// the incarnation's own context, so it runs on the simulator's thread, in the seeded order, and dies with a crash.
/// </summary>
internal sealed class SimTaskScheduler(SimContext context) : TaskScheduler
{
    /// <inheritdoc />
    protected override void QueueTask(Task task) => context.Post(_ => TryExecuteTask(task), null);

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc />
    protected override IEnumerable<Task>? GetScheduledTasks() => null;
}
