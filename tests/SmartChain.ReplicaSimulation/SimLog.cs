using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The replicas' logs for replaying one seed by hand: with <c>SMARTCHAIN_SIM_LOG=1</c>, every line (Information and
/// above) goes to standard error with the virtual time and the replica; otherwise nothing is logged.
/// </summary>
internal sealed class SimLog(TimeProvider time, int replica) : ILoggerFactory, ILogger
{
    /// <summary>The logger factory for replica <paramref name="replica"/>.</summary>
    public static ILoggerFactory For(TimeProvider time, int replica) =>
        Environment.GetEnvironmentVariable("SMARTCHAIN_SIM_LOG") == "1" ? new SimLog(time, replica) : NullLoggerFactory.Instance;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{time.GetTimestamp() / TimeSpan.TicksPerMillisecond,7} ms r{replica} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
        }
    }

    public void Dispose()
    {
    }
}
