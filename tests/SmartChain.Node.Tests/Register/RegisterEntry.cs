namespace SmartChain.Node.Tests.Register;

/// <summary>One key's value and how many PUTs it has had.</summary>
public sealed record RegisterEntry(ulong Version, byte[] Value);
