namespace SmartChain.Api.Models;

/// <summary>
/// A transaction's status: <c>state</c> is <c>pending</c> (handed to the replica, not in a durable block yet),
/// <c>rejected</c> (<c>reason</c> says why), <c>durable</c> (in a durable block here, not certified yet) or
/// <c>certified</c> (with its <c>receipt</c>). <c>block</c>, <c>index</c>, <c>result</c> once it is in a block.
/// </summary>
public sealed record TransactionResponse(string Id, string State, string? Reason, long? Block, int? Index, string? Result, ReceiptJson? Receipt);
