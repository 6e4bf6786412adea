namespace SmartChain.Fuzz;

/// <summary>
/// One decoder under fuzzing: <see cref="Run"/> feeds it the input, and any exception other than the decoder's
/// documented ones (<see cref="Expected"/>) is a crash.
/// </summary>
internal sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run, params Type[] Expected)
{
    /// <summary>True if <paramref name="e"/> is a documented rejection of bad input.</summary>
    public bool IsExpected(Exception e) => Array.Exists(Expected, t => t.IsInstanceOfType(e));

    /// <summary>Runs the decoder; documented rejections are swallowed, anything else propagates (a crash).</summary>
    public void Execute(byte[] input)
    {
        try
        {
            Run(input);
        }
        catch (Exception e) when (IsExpected(e))
        {
        }
    }
}
