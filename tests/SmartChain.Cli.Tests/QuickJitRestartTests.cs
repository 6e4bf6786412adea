using System.Collections;
using System.Text;

namespace SmartChain.Cli.Tests;

/// <summary>
/// Issue 16, warm start: <c>demo</c> restarts its process without quick JIT (the demo integration test shows the load
/// ran with it off); here, what decides the restart and what it repeats.
/// </summary>
public class QuickJitRestartTests
{
    [Fact]
    public void Only_the_demo_restarts_and_only_when_the_variable_is_unset()
    {
        Assert.True(QuickJitRestart.Wanted(["demo", "--json"], null));
        Assert.False(QuickJitRestart.Wanted(["demo"], "0")); // the restarted process itself: no loop
        Assert.False(QuickJitRestart.Wanted(["demo"], "1")); // the user's choice (an A/B run with quick JIT) is kept
        Assert.False(QuickJitRestart.Wanted(["testnet", "start", "--dir", "x"], null)); // every other command starts as before
        Assert.False(QuickJitRestart.Wanted(["bench"], null));
        Assert.False(QuickJitRestart.Wanted([], null));
        Assert.False(QuickJitRestart.Wanted(["--help", "demo"], null));
    }

    [Fact]
    public void The_command_line_is_repeated_as_the_kernel_recorded_it()
    {
        string[] args = ["demo", "--dir", "/tmp/a b", "--duration", "3"];

        // `dotnet smartchain.dll demo …`: the host and the assembly come first, and both are repeated.
        Assert.Equal(["dotnet", "/x/smartchain.dll", .. args], Repeated(Cmdline(["dotnet", "/x/smartchain.dll", .. args]), args));
        // The apphost (`dotnet run`, a published binary, the tool shim).
        Assert.Equal(["/x/smartchain", .. args], Repeated(Cmdline(["/x/smartchain", .. args]), args));
        // Non-ASCII arguments survive (the kernel's copy is bytes, decoded as UTF-8).
        Assert.Equal(["smartchain", "demo", "--dir", "/tmp/é"], Repeated(Cmdline("smartchain", "demo", "--dir", "/tmp/é"), ["demo", "--dir", "/tmp/é"]));
    }

    [Fact]
    public void A_command_line_that_does_not_end_with_the_arguments_is_not_repeated()
    {
        Assert.Null(QuickJitRestart.CommandLine(Cmdline("smartchain", "demo", "--json"), ["demo", "--duration"]));
        Assert.Null(QuickJitRestart.CommandLine(Cmdline("demo"), ["demo"])); // nothing before the arguments to start
        Assert.Null(QuickJitRestart.CommandLine(Encoding.UTF8.GetBytes("smartchain\0demo"), ["demo"])); // cut off: no final NUL
        Assert.Null(QuickJitRestart.CommandLine([], ["demo"]));
    }

    [Fact]
    public void The_restart_keeps_the_environment_and_turns_quick_jit_off_once()
    {
        var current = new Hashtable { ["PATH"] = "/usr/bin", ["SMARTCHAIN_PARENT_PID"] = "42", ["EMPTY"] = "" };

        string[] restarted = QuickJitRestart.RestartEnvironment(current);

        Assert.Equal(["DOTNET_TC_QuickJit=0", "EMPTY=", "PATH=/usr/bin", "SMARTCHAIN_PARENT_PID=42"], restarted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_restarted_demo_keeps_its_arguments_exit_code_and_error_stream()
    {
        // A real process: the restart (execve) happens before the command line is parsed, so the refusal below comes from
        // the restarted process, with the same arguments, on the same standard error, with the same exit code.
        CliRun demo = await CliRun.AsProcessAsync("demo", "--grow-to", "2");

        Assert.Equal(Program.UsageError, demo.ExitCode);
        Assert.Equal("error: --grow-to 2: give more replicas than the 4 the network starts with (at most 128)", demo.Error.Trim());
        Assert.DoesNotContain("could not restart", demo.Error, StringComparison.Ordinal);
        Assert.Empty(demo.Output);
    }

    private static string[] Repeated(byte[] cmdline, string[] args)
    {
        string[]? argv = QuickJitRestart.CommandLine(cmdline, args);
        Assert.NotNull(argv);
        return argv;
    }

    private static byte[] Cmdline(params string[] argv) => Encoding.UTF8.GetBytes(string.Concat(argv.Select(a => a + "\0")));
}
