using Microsoft.Extensions.Logging;

namespace SmartChain.Node;

/// <summary>The replica's log events, source-generated so that hot paths pay nothing when a level is off.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "replica {Id} started: {Status}")]
    public static partial void Started(ILogger logger, int id, string status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "replica {Id} stopped: {Status}")]
    public static partial void Stopped(ILogger logger, int id, string status);

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

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "evidence against replica {From} at block {Block}: {Detail}")]
    public static partial void BlockEvidence(ILogger logger, int from, long block, string detail);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "replica {Id} recovered from its ledger: {Blocks} blocks, replayed from {Start}: {Transactions} transactions re-executed in {Seconds:0.00} s; {Uncertified} blocks to certify; resuming at instance {Next}")]
    public static partial void Recovered(ILogger logger, int id, long blocks, string start, long transactions, double seconds, int uncertified, long next);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{Line}")]
    public static partial void Storage(ILogger logger, string line);

    [LoggerMessage(EventId = 14, Level = LogLevel.Critical, Message = "ledger loop failed; replica {Id} stops. {Status}")]
    public static partial void LedgerFailed(ILogger logger, Exception exception, int id, string status);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "checkpoint block {Block}: records the snapshot of the state after block {Snapshot}, {Bytes} bytes, hash {Hash}; execution paused {Milliseconds:0.0} ms ({Waited:0.0} ms waiting for that snapshot's hash, the rest capturing the next one)")]
    public static partial void Checkpoint(ILogger logger, long block, long snapshot, long bytes, string hash, double milliseconds, double waited);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Transfer(ILogger logger, string line);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "state transfer: dropped replica {From} as a source: {Reason}")]
    public static partial void TransferSourceDropped(ILogger logger, int from, string reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "replica {From} asked for or sent {Count} block certifications more than its {Budget} in a second; dropped")]
    public static partial void CertificationsDropped(ILogger logger, int from, int count, int budget);

    [LoggerMessage(EventId = 19, Level = LogLevel.Critical, Message = "peer pump failed; replica {Id} stops. {Status}")]
    public static partial void PeerPumpFailed(ILogger logger, Exception exception, int id, string status);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "state transfer: serving replica {From} failed: {Detail}")]
    public static partial void ServeFailed(ILogger logger, Exception exception, int from, string detail);

    [LoggerMessage(EventId = 21, Level = LogLevel.Critical, Message = "{Loop} failed ({Reason}); replica {Id} stops. {Status}")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop, string reason, int id, string status);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "client session from {Peer} failed ({Reason}); it is closed, the replica goes on")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string peer, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "status line failed ({Reason}); the next one is due in 10 s")]
    public static partial void StatusFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "view: {Line}")]
    public static partial void ViewChange(ILogger logger, string line);
}
