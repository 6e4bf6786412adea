namespace SmartChain.Ledger.Store;

/// <summary>Block store settings.</summary>
public sealed record BlockStoreOptions
{
    /// <summary>A segment file is closed and a new one started once it reaches this size.</summary>
    public long MaxSegmentBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Open without writing: no truncation of a torn tail, no appends (see <see cref="BlockStore.OpenReadOnly"/>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The disk the store lives on: the real one unless a test simulates one.</summary>
    public Core.IO.IStorage Storage { get; init; } = Core.IO.FileSystemStorage.Instance;

    /// <summary>Defaults.</summary>
    public static BlockStoreOptions Default { get; } = new();
}
