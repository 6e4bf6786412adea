using BenchmarkDotNet.Running;

namespace SmartChain.Benchmarks;

/// <summary>Runs the micro-benchmarks: <c>dotnet run -c Release --project bench/SmartChain.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
