using SmartChain.Core.Crypto;
using SmartChain.Ledger;

namespace SmartChain.Node.Transfer;

/// <summary>Blocks in ranges from several sources at once, checked and applied strictly in order.</summary>
internal sealed partial class StateTransfer
{
    private sealed record RangeAnswer(int Source, long Start, long End, TransferMessage? Answer);

    private async Task StreamBlocksAsync(long from, long to, Hash256 previous, SnapshotPlan? plan,
        Dictionary<int, BlockHeader> tips, CancellationToken cancellationToken)
    {
        var ranges = new LinkedList<(long Start, long End)>();
        for (long start = from; start <= to; start += _options.RangeBlocks)
        {
            ranges.AddLast((start, Math.Min(to, start + _options.RangeBlocks - 1)));
        }

        var inFlight = new List<Task<RangeAnswer>>();
        var busy = new HashSet<int>();
        var received = new SortedDictionary<long, (int Source, IReadOnlyList<Block> Blocks)>();
        long next = from;
        int regency = 0;
        int rotation = 0;
        // The consensus id of the block before `next`: our own head's when the stream starts right after it, so that even
        // the first block received, if it is a checkpoint block, cannot name an instance of its source's choosing.
        long? previousInstance = from == _target.Head.Number + 1 ? _target.HeadConsensusId : null;
        while (next <= to)
        {
            while (inFlight.Count < _options.ParallelRanges && ranges.First is { } first && first.Value.Start <= next + _options.MaxUnappliedBlocks)
            {
                if (PickSource(tips, busy, first.Value.Start, ref rotation) is not { } source)
                {
                    break;
                }

                ranges.RemoveFirst();
                busy.Add(source);
                inFlight.Add(FetchRangeAsync(source, first.Value.Start, first.Value.End, cancellationToken));
            }

            if (inFlight.Count == 0)
            {
                throw new TransferException($"no source left for blocks {next}..{to}; {DroppedSummary()}");
            }

            Task<RangeAnswer> done = await Task.WhenAny(inFlight);
            inFlight.Remove(done);
            RangeAnswer range = await done;
            busy.Remove(range.Source);
            if (Accept(range, ranges, received) is { } lower)
            {
                tips[range.Source] = tips[range.Source] with { Number = lower };
            }

            while (received.Remove(next, out var batch))
            {
                long batchEnd = next + batch.Blocks.Count - 1;
                foreach (Block block in batch.Blocks)
                {
                    if ((_verifier.CheckNext(block, next, previous) ?? TransferVerifier.CheckCheckpointInstance(block, previousInstance)) is { } bad)
                    {
                        Drop(batch.Source, bad);
                        ranges.AddFirst((next, batchEnd));
                        break;
                    }

                    regency = await ApplyAsync(block, plan, regency, cancellationToken);
                    previous = block.Hash;
                    previousInstance = block.Body.ConsensusId;
                    next++;
                    Interlocked.Increment(ref _blocks);
                }

                if (next <= batchEnd)
                {
                    break;
                }
            }

            // Bounded memory: never more than MaxUnappliedBlocks between what is durable and what was received.
            if (next - 1 - _options.MaxUnappliedBlocks > 0)
            {
                await _target.WaitForDurableAsync(next - 1 - _options.MaxUnappliedBlocks, cancellationToken);
            }
        }

        // The next round measures this replica's head: it must see what was just handed over, or it fetches it again.
        await _target.WaitForDurableAsync(to, cancellationToken);
    }

    // Files a range's answer; returns a lower tip for the source if it said it cannot serve the range.
    private long? Accept(RangeAnswer range, LinkedList<(long Start, long End)> ranges, SortedDictionary<long, (int, IReadOnlyList<Block>)> received)
    {
        switch (range.Answer)
        {
            case TransferMessage.Blocks blocks when blocks.From == range.Start && blocks.Items.Count > 0 && blocks.Items.Count <= range.End - range.Start + 1:
                received[range.Start] = (range.Source, blocks.Items);
                long count = blocks.Items.Count;
                foreach (Block block in blocks.Items)
                {
                    Interlocked.Add(ref _blockBytes, EncodedSize(block));
                }

                if (range.Start + count <= range.End)
                {
                    ranges.AddFirst((range.Start + count, range.End));
                }

                return null;
            case TransferMessage.Blocks blocks:
                Drop(range.Source, $"answered {blocks.Items.Count} blocks from {blocks.From} to a request for blocks {range.Start}..{range.End}");
                break;
            case TransferMessage.Unavailable:
                NoAnswer(range.Source, range.Answer, $"blocks {range.Start}..{range.End}");
                ranges.AddFirst((range.Start, range.End));
                return range.Start - 1;
            default:
                NoAnswer(range.Source, range.Answer, $"blocks {range.Start}..{range.End}");
                break;
        }

        ranges.AddFirst((range.Start, range.End));
        return null;
    }

    // A checkpoint block's consensus id (outside every hash, and it has no proof to bind it) repeats the block before.
    private async Task<RangeAnswer> FetchRangeAsync(int source, long start, long end, CancellationToken cancellationToken) =>
        new(source, start, end, await RequestAsync(source, new TransferMessage.BlocksRequest(start, end), _options.RequestTimeout, cancellationToken));

    private int? PickSource(Dictionary<int, BlockHeader> tips, HashSet<int> busy, long start, ref int rotation)
    {
        List<int> candidates = Sources(tips, start);
        candidates.RemoveAll(busy.Contains);
        if (candidates.Count == 0)
        {
            return null;
        }

        return candidates[rotation++ % candidates.Count];
    }

    // Blocks a snapshot covers are only appended; the snapshot's own block installs it; later blocks are decided
    // and executed through the core, and execution compares what it builds with the certified block.
    private async Task<int> ApplyAsync(Block block, SnapshotPlan? plan, int regency, CancellationToken cancellationToken)
    {
        long number = block.Header.Number;
        if (plan is { } p && number < p.At)
        {
            if (!block.Body.DecisionProof.IsEmpty)
            {
                // Proven by the verifier (Q ACCEPTs of the view in force), so Q replicas did reach this regency.
                regency = Math.Max(regency, Consensus.DecisionProof.DecodeFromBlock(block.Body.DecisionProof.Span).Regency);
            }

            await _target.AppendWithoutExecutingAsync(block, cancellationToken);
            return regency;
        }

        if (plan is { } q && number == q.At)
        {
            await _target.InstallSnapshotAsync(block, q.Snapshot, q.Record, regency, cancellationToken);
            _log($"state transfer: installed the snapshot of the state after block {number}; replaying the blocks after it");
            return regency;
        }

        await _target.ReplayAsync(block, cancellationToken);
        return regency;
    }

    private static long EncodedSize(Block block)
    {
        long size = Core.Crypto.Hash256.Size * 3;
        foreach (ReadOnlyMemory<byte> entry in block.Body.Entries)
        {
            size += entry.Length;
        }

        foreach (ReadOnlyMemory<byte> result in block.Body.Results)
        {
            size += result.Length;
        }

        return size + block.Body.DecisionProof.Length;
    }
}
