namespace SmartChain.Node;

/// <summary>
/// A task awaited in the caller's context before anything is combined with it. A task of a
/// <see cref="TaskCompletionSource{T}"/> made with <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> runs
/// every continuation that is not a plain await (those of <c>WaitAsync</c>, <c>WhenAny</c>) on the thread pool, which
/// under the whole-replica simulator escapes its single-threaded scheduler. Awaiting it here first keeps the hand-over in
/// the caller's context (the thread pool in a real process, as before).
/// </summary>
internal static class ContextAwait
{
    /// <summary><paramref name="task"/>, completed from the awaiting context.</summary>
    public static async Task<T> InContext<T>(this Task<T> task) => await task;

    /// <summary><paramref name="task"/>, completed from the awaiting context.</summary>
    public static async Task InContext(this Task task) => await task;
}
