using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>Work for the ledger loop, in order: blocks to persist, peers' header signatures, repeated requests, ticks.</summary>
internal abstract record LedgerInput
{
    /// <summary>
    /// A block built by execution, with the reply of every entry (null where the entry was not executed: a repeated
    /// sequence) and the clients waiting for them, released once the block's persistence condition holds.
    /// </summary>
    public sealed record Persist(BuiltBlock Block, ReplyMessage?[] Replies, List<PendingReply> Waiting) : LedgerInput
    {
        /// <summary>The view this block installs (a reconfiguration block), in force from the next block on.</summary>
        public Core.Views.View? Installed { get; init; }
    }

    public sealed record Signature(int From, BlockSignatureMessage Message) : LedgerInput;

    /// <summary>A peer asks for this replica's certificate of a block, or sends its own in answer.</summary>
    public sealed record Certification(int From, BlockCertificateMessage Message) : LedgerInput;

    /// <summary>A request already decided: answered from the reply cache once every earlier block is released.</summary>
    public sealed record Repeated(SignedRequest Request, ClientSession Session) : LedgerInput;

    /// <summary>A peer FETCHed a decision older than the consensus core remembers: answer it from the ledger.</summary>
    public sealed record ServeFetch(int From, long Instance) : LedgerInput;

    /// <summary>A peer's state-transfer request for the tip or a block range, served from the store.</summary>
    public sealed record ServeTransfer(int From, Transfer.TransferMessage Request) : LedgerInput;

    /// <summary>
    /// The certificate of a checkpoint block that state transfer received, for when execution built the block before
    /// the certificate arrived (the block before it ended a range): the ledger attaches it to the stored block.
    /// </summary>
    public sealed record TransferredCertificate(long Number, Core.Crypto.Hash256 Hash, BlockCertificate Certificate) : LedgerInput;

    /// <summary>Once a second: ask again for signatures of blocks still uncertified.</summary>
    public sealed record Retransmit : LedgerInput;
}
