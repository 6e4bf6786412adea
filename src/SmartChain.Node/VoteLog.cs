using SmartChain.Consensus;

namespace SmartChain.Node;

/// <summary>
/// The votes this replica cast, appended and fsynced before the messages that carry them are sent (persist, then
/// send): <c>u8 kind · i64 instance · i32 regency · 32 B hash</c> per vote. Leader change reads it back.
/// </summary>
internal sealed class VoteLog(string path) : IDisposable
{
    public const string FileName = "votes.log";
    private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.Read);

    public void Append(IReadOnlyList<VoteRecord> votes)
    {
        Span<byte> record = stackalloc byte[1 + 8 + 4 + 32];
        foreach (VoteRecord vote in votes)
        {
            record[0] = (byte)vote.Kind;
            BitConverter.TryWriteBytes(record[1..], vote.Instance);
            BitConverter.TryWriteBytes(record[9..], vote.Regency);
            vote.BatchHash.CopyTo(record[13..]);
            _file.Write(record);
        }

        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();
}
