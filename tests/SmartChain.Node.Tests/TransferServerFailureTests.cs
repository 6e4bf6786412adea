using System.Threading.Channels;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Core.Views;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Network;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// A snapshot chunk is served on background work that nobody awaits: whatever goes wrong there must be logged with the
/// peer and the reason, the asker answered at once (not left to its timeout), and the serving budget released.
/// </summary>
public sealed class TransferServerFailureTests
{
    [Fact]
    public void A_snapshot_chunk_that_fails_unexpectedly_is_logged_with_the_peer_and_answered_unavailable_and_its_budget_released()
    {
        using var folder = new TempDirectory();
        Ed25519KeyPair[] keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(60 + i), 32).ToArray()))];
        try
        {
            Serve(folder, keys);
        }
        finally
        {
            foreach (Ed25519KeyPair key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static void Serve(TempDirectory folder, Ed25519KeyPair[] keys)
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 40000 + i, 41000 + i, keys[i].PublicKey)));
        var genesis = new GenesisDocument("serve-failure", PersistenceMode.Weak, view, ConsensusParameters.Default, 1000, [keys[0].PublicKey]);
        var log = new LogCapture();
        var links = new RecordingLinks();
        // Background work runs inline: when OnRequest returns, the chunk has been served, or failed.
        var platform = ReplicaPlatform.Default with { Background = new InlineScheduler() };
        var server = new TransferServer(genesis, TransferOptions.Default, TransferFault.None, links,
            new SnapshotStore(folder.Path, storage: new FailingOpenStorage()), _ => [], log.CreateLogger("replica0"), platform, CancellationToken.None);

        var request = new TransferMessage.SnapshotRequest(10, 0, 4096) { RequestId = 77 };
        server.OnRequest(2, request, Channel.CreateUnbounded<LedgerInput>().Writer);

        Assert.Contains(log.Lines, line => line.Contains("replica 2", StringComparison.Ordinal) && line.Contains(FailingOpenStorage.Reason, StringComparison.Ordinal));
        (int peer, FrameType type, byte[] payload) = Assert.Single(links.Sent);
        Assert.Equal((2, FrameType.StateTransfer), (peer, type));
        TransferMessage answer = TransferMessage.Decode(payload);
        Assert.IsType<TransferMessage.Unavailable>(answer);
        Assert.Equal(77UL, answer.RequestId);
        Assert.Equal(0, server.Budget.BytesInFlight);
    }

    // Runs every task where it is queued.
    private sealed class InlineScheduler : TaskScheduler
    {
        protected override void QueueTask(Task task) => TryExecuteTask(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

        protected override IEnumerable<Task>? GetScheduledTasks() => null;
    }

    // The real disk, except that opening a file fails in a way the server does not expect (not an IOException).
    private sealed class FailingOpenStorage : IStorage
    {
        public const string Reason = "injected: the storage is in a state nobody planned for";

        public bool FileExists(string path) => FileSystemStorage.Instance.FileExists(path);

        public bool DirectoryExists(string path) => FileSystemStorage.Instance.DirectoryExists(path);

        public void CreateDirectory(string path) => FileSystemStorage.Instance.CreateDirectory(path);

        public IReadOnlyList<string> ListFiles(string folder, string pattern) => FileSystemStorage.Instance.ListFiles(folder, pattern);

        public long FileLength(string path) => FileSystemStorage.Instance.FileLength(path);

        public byte[] ReadAllBytes(string path) => FileSystemStorage.Instance.ReadAllBytes(path);

        public IStorageFile Open(string path, StorageOpenMode mode, int bufferSize = 4096) => throw new InvalidOperationException(Reason);

        public void Move(string source, string destination, bool overwrite) => FileSystemStorage.Instance.Move(source, destination, overwrite);

        public void Delete(string path) => FileSystemStorage.Instance.Delete(path);

        public void SyncDirectory(string folder) => FileSystemStorage.Instance.SyncDirectory(folder);
    }
}
