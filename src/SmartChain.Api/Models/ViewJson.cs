namespace SmartChain.Api.Models;

/// <summary>A view: its id, size, fault bound, quorum and members.</summary>
public sealed record ViewJson(long Id, int N, int F, int Q, IReadOnlyList<MemberJson> Members);
