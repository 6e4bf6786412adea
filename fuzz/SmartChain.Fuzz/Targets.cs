using System.IO.Pipelines;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node;
using SmartChain.Node.Transfer;
using SmartChain.Reconfiguration.Keys;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Fuzz;

/// <summary>Every decoder that reads bytes from a peer, a client or a file, as a fuzz target.</summary>
internal static class Targets
{
    // File-based decoders read from one scratch folder per process (a fuzzer runs one process per target).
    private static readonly Lazy<string> Scratch = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"smartchain-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return dir;
    });

    // Built on first use: instrumented code must not run before SharpFuzz has set up AFL's shared memory.
    private static MessageLimits? _consensusLimits;

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("hello", "link handshake hello (Hello.Decode)", b => Hello.Decode(b), typeof(EncodingException)),
        new("frames", "length-prefixed units of a link, handshake and frames (LengthPrefixed.ReadAsync)", ReadUnits, typeof(LinkException)),
        new("request", "client request (SignedRequest.Decode)", b => SignedRequest.Decode(b), typeof(EncodingException)),
        new("query", "client query frame (QueryMessage.Decode)", b => QueryMessage.Decode(b), typeof(EncodingException)),
        new("reply", "replies a client reads (ReplyMessage, QueryResultMessage)", Replies, typeof(EncodingException)),
        new("consensus", "consensus message (MessageCodec.Decode)", b => MessageCodec.Decode(b, _consensusLimits ??= new(64, Limits.MaxRequestBytes)), typeof(EncodingException)),
        new("transfer", "state-transfer message (TransferMessage.Decode)", b => TransferMessage.Decode(b), typeof(EncodingException)),
        new("block-signature", "block signature message (BlockSignatureMessage.Decode)", b => BlockSignatureMessage.Decode(b), typeof(EncodingException)),
        new("block-certificate", "block certificate request or answer (BlockCertificateMessage.Decode)", b => BlockCertificateMessage.Decode(b), typeof(EncodingException)),
        new("block", "block header and body (Block.ReadFrom)", b => CanonicalEncoding.Decode(b, Block.ReadFrom), typeof(EncodingException)),
        new("certificate", "block certificate (BlockCertificate.ReadFrom)", b => CanonicalEncoding.Decode(b, BlockCertificate.ReadFrom), typeof(EncodingException)),
        new("receipt", "transaction receipt (TransactionReceipt.Decode)", b => TransactionReceipt.Decode(b), typeof(EncodingException)),
        new("decision-proof", "decision proof stored in a block (DecisionProof.DecodeFromBlock)", b => DecisionProof.DecodeFromBlock(b), typeof(EncodingException)),
        new("reconfiguration", "reconfiguration operation of a system request (ReconfigurationOperation.Decode)", b => ReconfigurationOperation.Decode(b),
            typeof(EncodingException)),
        new("coin", "coin operation of a client request (CoinOperation.TryDecode)", b => Coin.CoinOperation.TryDecode(b, out _, out _)),
        new("snapshot", "replica snapshot file (ReplicaSnapshot.Parse, then the client table restored from it)", Snapshot, typeof(EncodingException)),
        new("segment", "block store segment file (BlockStore.OpenReadOnly)", Segment, typeof(LedgerCorruptException)),
        new("votelog", "vote log file (VoteLog.Open)", Votes, typeof(InvalidDataException)),
        new("genesis", "genesis.json (GenesisJson.Parse)", b => GenesisJson.Parse(b), typeof(GenesisException)),
        new("keyfile", "key file (KeyFile.Load)", KeyFileTarget, typeof(KeyFileException)),
        new("keychain", "per-view key chain file (ViewKeyChain.Open)", KeyChain, typeof(InvalidDataException)),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static void ReadUnits(byte[] bytes)
    {
        var pipe = new Pipe();
        pipe.Writer.WriteAsync(bytes).AsTask().GetAwaiter().GetResult();
        pipe.Writer.Complete();
        while (LengthPrefixed.ReadAsync(pipe.Reader, 4096, "unit", CancellationToken.None).AsTask().GetAwaiter().GetResult() is not null)
        {
        }
    }

    private static void Replies(byte[] bytes)
    {
        try
        {
            ReplyMessage.Decode(bytes);
        }
        catch (EncodingException)
        {
        }

        QueryResultMessage.Decode(bytes);
    }

    // A replica restores its client table from whatever rows Parse accepted (ReplicaHost, state transfer): the restore
    // and the first expiry after it must take them too.
    private static void Snapshot(byte[] bytes)
    {
        ReplicaSnapshot snapshot = ReplicaSnapshot.Parse(bytes);
        var clients = new ClientTable(10_000);
        clients.Reset(snapshot.Clients);
        clients.Expire(snapshot.ConsensusId + 1);
    }

    private static void Segment(byte[] bytes)
    {
        string data = Path.Combine(Scratch.Value, "data");
        string folder = Path.Combine(data, BlockStore.FolderName);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "segment-000000.log"), bytes);
        using BlockStore store = BlockStore.OpenReadOnly(data);
    }

    private static void Votes(byte[] bytes)
    {
        string path = Path.Combine(Scratch.Value, VoteLog.FileName);
        File.WriteAllBytes(path, bytes);
        using VoteLog log = VoteLog.Open(path, 0, out _, _ => { });
    }

    private static void KeyFileTarget(byte[] bytes)
    {
        string path = Path.Combine(Scratch.Value, "node.key");
        WritePrivate(path, bytes);
        using Ed25519KeyPair key = KeyFile.Load(path);
    }

    // Not DurableFile: its two fsyncs would cost more than the decoder; the input only has to be readable, mode 0600.
    private static void WritePrivate(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void KeyChain(byte[] bytes)
    {
        string path = Path.Combine(Scratch.Value, ViewKeyChain.DefaultFileName);
        WritePrivate(path, bytes);
        using ViewKeyChain chain = ViewKeyChain.Open(path);
    }
}
