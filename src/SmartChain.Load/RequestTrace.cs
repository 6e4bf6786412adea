namespace SmartChain.Load;

/// <summary>
/// One measured request, as the load generator saw it. Times are microseconds since the load's streams started.
/// <see cref="Slot"/> is where its latency starts (its pacer slot open loop, its send closed loop); <see cref="Sent"/> is
/// when its stream handed it to the client, so <c>Sent − Slot</c> is time spent waiting for a free stream (open loop);
/// <see cref="Done"/> is when its reply was accepted. <see cref="Block"/> and <see cref="Instance"/> are where the reply
/// says it was ordered, which groups the requests that shared a block's fate.
/// </summary>
/// <param name="Stream">The stream that sent it.</param>
/// <param name="Slot">Microseconds from the start to the request's slot (open loop) or send (closed loop).</param>
/// <param name="Sent">Microseconds from the start to its hand-over to the client.</param>
/// <param name="Done">Microseconds from the start to its accepted reply.</param>
/// <param name="Block">The block the reply names (0 when the reply carries none).</param>
/// <param name="Instance">The consensus instance the reply names.</param>
public readonly record struct RequestTrace(int Stream, long Slot, long Sent, long Done, long Block, long Instance)
{
    /// <summary>Its latency in microseconds: slot to accepted reply.</summary>
    public long Latency => Done - Slot;
}
