using SmartChain.Consensus;
using SmartChain.Core.Encoding;

namespace SmartChain.Node;

/// <summary>
/// Every decision this replica delivered, appended and fsynced before it is executed:
/// <c>u32 length · (i64 instance · i32 regency · 32 B batch hash · u32 n · n × 32 B request digests · u32 m ·
/// m × (i32 replica · 64 B signature))</c>. A self-checking audit trail until the block store replaces it.
/// </summary>
public sealed class DecisionLog : IDisposable
{
    /// <summary>File name inside the data folder.</summary>
    public const string FileName = "decisions.log";

    private readonly FileStream _file;

    /// <summary>Creates a new log at <paramref name="path"/>.</summary>
    public DecisionLog(string path) =>
        _file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read });

    /// <summary>Appends and fsyncs one decision.</summary>
    public void Append(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var record = new DecisionRecord(decision.Instance, decision.Regency, decision.BatchHash,
            [.. decision.Batch.Select(r => r.Digest)], decision.Proof);
        byte[] body = record.Encode();
        byte[] prefix = BitConverter.GetBytes((uint)body.Length);
        _file.Write(prefix);
        _file.Write(body);
        _file.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    /// <summary>Reads every record of a log.</summary>
    /// <exception cref="EncodingException">The file is truncated or a record is malformed; the offset says where.</exception>
    public static IReadOnlyList<DecisionRecord> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var records = new List<DecisionRecord>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 4)
            {
                throw new EncodingException(at, "truncated record length");
            }

            int length = (int)BitConverter.ToUInt32(bytes, at);
            if (length > bytes.Length - at - 4)
            {
                throw new EncodingException(at, $"record of {length} bytes runs past the end of the file");
            }

            records.Add(DecisionRecord.Decode(bytes.AsSpan(at + 4, length)));
            at += 4 + length;
        }

        return records;
    }
}
