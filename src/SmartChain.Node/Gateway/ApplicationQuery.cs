namespace SmartChain.Node.Gateway;

/// <summary>The application's read-only query, answered from its published state on the caller's thread.</summary>
internal delegate byte[] ApplicationQuery(ReadOnlySpan<byte> query);
