using Microsoft.Extensions.Logging;

namespace SmartChain.Node.Api;

/// <summary>Log events of the API adapter.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "API submit link: {Reason}; reconnecting")]
    public static partial void SubmitLinkLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 901, Level = LogLevel.Error, Message = "API ledger reader: {Reason}; the API serves what it read so far")]
    public static partial void FollowFailed(ILogger logger, string reason);
}
