using System.Diagnostics;

namespace SmartChain.Cli.Tests;

/// <summary>The outcome of one smartchain invocation.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the CLI in this process.</summary>
    public static CliRun InProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built smartchain executable as a separate process, as a user would.</summary>
    public static Task<CliRun> AsProcessAsync(params string[] args) => AsProcessAsync(TimeSpan.FromMinutes(2), args);

    /// <summary>Runs the built smartchain executable as a separate process, killed (and the test failed) after <paramref name="limit"/>.</summary>
    public static async Task<CliRun> AsProcessAsync(TimeSpan limit, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "smartchain.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.OwnedByThisRun(); // replicas it starts (node run, testnet start) exit if this test run dies
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        using var timeout = new CancellationTokenSource(limit);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
