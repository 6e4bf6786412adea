using System.Diagnostics;

namespace SmartChain.Testbed;

/// <summary>Runs <c>ip</c> and friends with an argument list (never a shell string) and reports failures with stderr.</summary>
internal static class Shell
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; returns its standard output, or throws with its standard error.</summary>
    public static string Run(string file, params string[] args)
    {
        (int code, string output, string error) = TryRun(file, args);
        return code == 0
            ? output
            : throw new TestbedException($"'{file} {string.Join(' ', args)}' failed ({code}): {error.Trim()}");
    }

    /// <summary>Runs the command and returns its exit code, standard output and standard error.</summary>
    public static (int Code, string Output, string Error) TryRun(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new TestbedException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TestbedException($"could not run '{file}' ({e.Message}); the namespace testbed needs iproute2 (tools/install-test-deps-netns.sh)", e);
        }

        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(Limit))
            {
                process.Kill();
                throw new TestbedException($"'{file} {string.Join(' ', args)}' did not finish within {Limit.TotalSeconds} s");
            }

            return (process.ExitCode, output, error.GetAwaiter().GetResult());
        }
    }
}
