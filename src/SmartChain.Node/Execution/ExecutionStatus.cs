using SmartChain.Core.Views;
using SmartChain.Ledger;

namespace SmartChain.Node.Execution;

/// <summary>
/// What the execution loop publishes for everyone else (queries, the API, metrics, the status line, state transfer):
/// the last instance executed, the chain head built from it, and the view in force after it. Replaced after every
/// input that changed one of them, so readers never see a head of one block with the view of another.
/// </summary>
internal sealed record ExecutionStatus(long Executed, BlockHeader Head, View View);
