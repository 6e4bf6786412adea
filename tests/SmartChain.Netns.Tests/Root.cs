using System.Diagnostics;

namespace SmartChain.Netns.Tests;

/// <summary>What the namespace tests need from the machine: root and iproute2. Missing either fails the test with the reason (never a skip).</summary>
internal static class Root
{
    public static void Require()
    {
        if (!Testbed.ProcFs.IsRoot)
        {
            Assert.Fail("the namespace tests need root (they create network namespaces): run them as root, e.g. sudo dotnet test tests/SmartChain.Netns.Tests");
        }

        try
        {
            using Process? ip = Process.Start(new ProcessStartInfo("ip", "-V") { RedirectStandardOutput = true, UseShellExecute = false });
            ip?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("the namespace tests need iproute2 ('ip'): run tools/install-test-deps-netns.sh");
        }
    }

    /// <summary>How the tests run the smartchain executable built next to them.</summary>
    public static IReadOnlyList<string> SmartChain => ["dotnet", Path.Combine(AppContext.BaseDirectory, "smartchain.dll")];

    /// <summary>The namespace a process runs in (ip netns identify), or "" if none of the named ones.</summary>
    public static string NamespaceOf(int pid)
    {
        using Process ip = Process.Start(new ProcessStartInfo("ip", ["netns", "identify", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        string output = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        return output.Trim();
    }

    public static IReadOnlyList<string> Namespaces()
    {
        using Process ip = Process.Start(new ProcessStartInfo("ip", ["netns", "list"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string output = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];
    }
}
