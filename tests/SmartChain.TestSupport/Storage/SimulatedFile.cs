namespace SmartChain.TestSupport.Storage;

/// <summary>
/// One file of the <see cref="SimulatedDisk"/> (an inode: names point at it). <see cref="Data"/> is what reads see (the
/// page cache); the durable copy is what a power cut leaves. Appends since the last sync are tracked as such, so a
/// crash can keep a prefix of them (a torn write) or a zero-filled stretch (the file grew, its data never landed).
/// </summary>
internal sealed class SimulatedFile
{
    private byte[] _data = new byte[256];
    private byte[] _durable = [];
    private int _durableLength;

    // True while every change since the last sync appended past the durable length: the durable bytes are then
    // exactly Data[0.._durableLength], and a crash can tear the appended stretch.
    private bool _appendOnly = true;

    /// <summary>Bytes a reader sees.</summary>
    public int Length { get; private set; }

    /// <summary>What a reader sees, up to <see cref="Length"/>.</summary>
    public ReadOnlySpan<byte> Data => _data.AsSpan(0, Length);

    /// <summary>Bytes written but not yet synced (only meaningful for appends).</summary>
    public int Unsynced => _appendOnly ? Length - _durableLength : Length;

    public void WriteAt(long position, ReadOnlySpan<byte> bytes)
    {
        int end = checked((int)position + bytes.Length);
        if (position < _durableLength)
        {
            _appendOnly = false;
        }

        Grow(end);
        if (position > Length)
        {
            _data.AsSpan(Length, (int)position - Length).Clear();
        }

        bytes.CopyTo(_data.AsSpan((int)position));
        Length = Math.Max(Length, end);
    }

    public void SetLength(long length)
    {
        if (length < _durableLength)
        {
            _appendOnly = false;
        }

        Grow((int)length);
        if (length > Length)
        {
            _data.AsSpan(Length, (int)length - Length).Clear();
        }

        Length = (int)length;
    }

    /// <summary>fsync: everything a reader sees becomes durable.</summary>
    public void Sync()
    {
        if (_durable.Length < Length)
        {
            Array.Resize(ref _durable, Math.Max(Length, _durable.Length * 2));
        }

        int from = _appendOnly ? _durableLength : 0;
        _data.AsSpan(from, Length - from).CopyTo(_durable.AsSpan(from));
        _durableLength = Length;
        _appendOnly = true;
    }

    /// <summary>A power cut: the file falls back to its durable bytes, keeping what <paramref name="tear"/> says of the unsynced appends.</summary>
    public void Crash(Func<int, (int Kept, bool Zeros)> tear)
    {
        int kept = 0;
        bool zeros = false;
        if (_appendOnly && Length > _durableLength)
        {
            (kept, zeros) = tear(Length - _durableLength);
        }

        if (!_appendOnly)
        {
            _durable.AsSpan(0, _durableLength).CopyTo(_data);
        }

        if (zeros)
        {
            _data.AsSpan(_durableLength, kept).Clear();
        }

        Length = _durableLength + kept;
        Sync(); // what survived is what the disk now holds
    }

    private void Grow(int length)
    {
        if (_data.Length < length)
        {
            Array.Resize(ref _data, Math.Max(length, _data.Length * 2));
        }
    }
}
