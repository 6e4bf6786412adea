namespace SmartChain.Testbed;

/// <summary>The testbed refused to start, or an <c>ip</c>/<c>tc</c> step or a process launch failed; the message says why.</summary>
public sealed class TestbedException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public TestbedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public TestbedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a reason (prefer the other constructors).</summary>
    public TestbedException()
    {
    }
}
