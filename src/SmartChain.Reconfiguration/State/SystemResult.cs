using SmartChain.Core.Encoding;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Reconfiguration.State;

/// <summary>
/// The result of a system operation, recorded in the block like any result (so covered by the certified hashResults):
/// <c>u8 code · body</c>, where the body is the approval record (Approved), the new view (ViewInstalled),
/// <c>i32 votes · i32 needed</c> (VoteRecorded) or the reason (Rejected, a string).
/// </summary>
public sealed record SystemResult(SystemResultCode Code, ApprovalRecord? Record = null, View? View = null, int Votes = 0, int Needed = 0, string? Reason = null)
{
    private const int MaxReasonBytes = 1024;

    /// <summary>An approved JOIN.</summary>
    public static SystemResult Approved(ApprovalRecord record) => new(SystemResultCode.Approved, Record: record);

    /// <summary>A new view, installed.</summary>
    public static SystemResult Installed(View view) => new(SystemResultCode.ViewInstalled, View: view);

    /// <summary>An exclusion vote below the threshold.</summary>
    public static SystemResult Counted(int votes, int needed) => new(SystemResultCode.VoteRecorded, Votes: votes, Needed: needed);

    /// <summary>A refusal.</summary>
    public static SystemResult Rejected(string reason) => new(SystemResultCode.Rejected, Reason: reason.Length > 500 ? reason[..500] : reason);

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, SystemResult r) =>
    {
        w.WriteUInt8((byte)r.Code);
        switch (r.Code)
        {
            case SystemResultCode.Approved:
                w.WriteBytes(r.Record!.Encode(), ApprovalRecord.MaxEncodedBytes);
                break;
            case SystemResultCode.ViewInstalled:
                r.View!.WriteTo(ref w);
                break;
            case SystemResultCode.VoteRecorded:
                w.WriteInt32(r.Votes);
                w.WriteInt32(r.Needed);
                break;
            default:
                w.WriteString(r.Reason ?? "", MaxReasonBytes);
                break;
        }
    });

    /// <summary>Decodes a result, or returns null with the reason.</summary>
    public static SystemResult? TryDecode(ReadOnlySpan<byte> bytes, out string? error)
    {
        bool ok = CanonicalEncoding.TryDecode(bytes, static (ref CanonicalReader r) =>
        {
            int at = r.Position;
            switch ((SystemResultCode)r.ReadUInt8())
            {
                case SystemResultCode.Approved:
                    int recordAt = r.Position;
                    return Approved(ApprovalRecord.TryDecode(r.ReadBytes(ApprovalRecord.MaxEncodedBytes), out string? bad)
                        ?? throw new EncodingException(recordAt, $"approval record: {bad}"));
                case SystemResultCode.ViewInstalled:
                    return Installed(View.ReadFrom(ref r));
                case SystemResultCode.VoteRecorded:
                    return Counted(r.ReadInt32(), r.ReadInt32());
                case SystemResultCode.Rejected:
                    return new SystemResult(SystemResultCode.Rejected, Reason: r.ReadString(MaxReasonBytes));
                default:
                    throw new EncodingException(at, "unknown system result code");
            }
        }, out SystemResult? result, out EncodingException? e);
        error = ok ? null : e!.Message;
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => Code switch
    {
        SystemResultCode.Approved => $"approved in view {Record!.ViewId} at instance {Record.ApprovedAt} (valid until instance {Record.ExpiresAt})",
        SystemResultCode.ViewInstalled => $"installed {View} with members {View!.MemberList}",
        SystemResultCode.VoteRecorded => $"exclusion vote counted: {Votes} of the {Needed} needed",
        _ => $"rejected: {Reason}",
    };
}
