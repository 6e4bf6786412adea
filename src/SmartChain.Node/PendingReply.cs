using SmartChain.Core.Requests;

namespace SmartChain.Node;

/// <summary>
/// A client waiting for the reply to <see cref="Request"/>, entry <see cref="Index"/> of a block not released yet
/// (-1: a repeated request, answered from the reply cache on release).
/// </summary>
internal readonly record struct PendingReply(ClientSession Session, SignedRequest Request, int Index);
