namespace SmartChain.Testbed;

/// <summary>Signal numbers (Linux) for <see cref="NamespaceTestbed.SignalReplica"/>.</summary>
public static class TestbedSignals
{
    /// <summary>SIGKILL: kill -9, no clean-up.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: a clean stop.</summary>
    public const int Terminate = 15;

    /// <summary>SIGSTOP: freeze the process (its sockets stay open, it answers nothing).</summary>
    public const int Stop = 19;

    /// <summary>SIGCONT: resume a stopped process.</summary>
    public const int Continue = 18;
}
