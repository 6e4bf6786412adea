namespace SmartChain.Ledger.Store;

/// <summary>Where a record lives: segment index, offset of its 8-byte record header, payload length.</summary>
internal readonly record struct RecordLocation(int Segment, long Offset, int Length);
