namespace SmartChain.Network;

/// <summary>An authenticated frame: its type, the sender's replica id (-1 for a client) and the payload.</summary>
public readonly record struct Frame(FrameType Type, int Sender, ReadOnlyMemory<byte> Payload);
