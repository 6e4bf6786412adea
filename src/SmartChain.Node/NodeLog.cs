using Microsoft.Extensions.Logging;

namespace SmartChain.Node;

/// <summary>The replica's log events, source-generated so that hot paths pay nothing when a level is off.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "replica {Id} started: {Status}")]
    public static partial void Started(ILogger logger, int id, string status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "replica {Id} stopped")]
    public static partial void Stopped(ILogger logger, int id);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Line} (occurrence {Count})")]
    public static partial void BadInput(ILogger logger, string line, long count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "evidence against replica {From}: {Kind}: {Detail}")]
    public static partial void Evidence(ILogger logger, int from, string kind, string detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "refused a message from replica {From}: {Kind}: {Detail}")]
    public static partial void Refused(ILogger logger, int from, string kind, string detail);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Status}")]
    public static partial void Status(ILogger logger, string status);

    [LoggerMessage(EventId = 9, Level = LogLevel.Critical, Message = "consensus loop failed; replica {Id} stops. {Status}")]
    public static partial void ConsensusFailed(ILogger logger, Exception exception, int id, string status);
}
