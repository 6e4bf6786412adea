using System.Globalization;
using SmartChain.Core.Crypto;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Checking;

/// <summary>
/// Judges a run from its client history and every replica's ledger:
/// <list type="bullet">
/// <item>every ledger verifies, and the ledgers are identical at each height they share;</item>
/// <item>an ok transaction is executed, with an Ok result and the coins the client was told, exactly once in every
/// ledger that reaches its block (and in at least one: else it is lost);</item>
/// <item>a failed one is never executed with an Ok result (and, if refused before ordering, not executed at all);
/// an unknown one may be either; no transaction executes twice in one ledger;</item>
/// <item>no coin is spent twice, by the history's ok operations or by any ledger; the coins recomputed from each
/// ledger hash to the coin state the replay (and every checkpoint) holds;</item>
/// <item>every member of the final view holds nearly as many blocks as the longest ledger (it caught up);</item>
/// <item>with a fault timeline, the ok rate returns to speed within a bound of the heal (<see cref="RecoveryOptions"/>).</item>
/// </list>
/// </summary>
public static class HistoryChecker
{
    /// <summary>How far behind the longest ledger a member's ledger may be when the run ends (two checkpoint periods' worth of a short run's tail).</summary>
    public const long LaggingBlocks = 256;

    /// <summary>Checks <paramref name="history"/> against <paramref name="ledgers"/> (and <paramref name="timeline"/> if given).</summary>
    public static CheckReport Check(IReadOnlyList<HistoryRecord> history, IReadOnlyList<LedgerFacts> ledgers, IReadOnlyList<FaultEvent>? timeline = null,
        RecoveryOptions? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(ledgers);
        var report = new CheckReport();
        CheckLedgers(ledgers, report);
        CheckHistory(history, ledgers, report);
        if (timeline is not null)
        {
            CheckRecovery(history, timeline, recovery ?? new RecoveryOptions(), report);
        }

        return report;
    }

    private static void CheckLedgers(IReadOnlyList<LedgerFacts> ledgers, CheckReport report)
    {
        if (ledgers.Count == 0)
        {
            report.Violations.Add("no ledger to check");
            return;
        }

        foreach (LedgerFacts ledger in ledgers)
        {
            report.Summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"ledger {ledger.Name}: {ledger.Blocks} blocks, {ledger.Executed.Count} transactions executed, {ledger.CheckpointsMatched} checkpoint coin states recomputed, state {ledger.ReplayedStateHash?.ToString() ?? "-"}"));
            if (ledger.Failure is { } failure)
            {
                report.Violations.Add($"ledger {ledger.Name} does not verify: {failure}");
            }

            report.Violations.AddRange(ledger.CoinViolations.Select(v => $"ledger {ledger.Name}: {v}"));
            foreach ((Hash256 tx, List<ExecutedTransaction> runs) in ledger.Executed)
            {
                if (runs.Count > 1)
                {
                    report.Violations.Add($"ledger {ledger.Name}: {tx} executed {runs.Count} times (blocks {string.Join(", ", runs.Select(r => r.Block))})");
                }
            }
        }

        for (int a = 0; a < ledgers.Count; a++)
        {
            for (int b = a + 1; b < ledgers.Count; b++)
            {
                int common = Math.Min(ledgers[a].BlockHashes.Count, ledgers[b].BlockHashes.Count);
                for (int n = 0; n < common; n++)
                {
                    if (ledgers[a].BlockHashes[n] != ledgers[b].BlockHashes[n])
                    {
                        report.Violations.Add($"ledgers {ledgers[a].Name} and {ledgers[b].Name} differ at block {n}: {ledgers[a].BlockHashes[n]} and {ledgers[b].BlockHashes[n]}");
                        break;
                    }
                }
            }
        }

        // Liveness of catching up: after the heal every member of the view in force at the longest ledger's head must
        // hold nearly as many blocks (a replica that left is exempt; one still certifying its tail is within the bound).
        LedgerFacts longestLedger = ledgers.MaxBy(l => l.Blocks)!;
        foreach (LedgerFacts ledger in ledgers)
        {
            if (ledger.Replica is int id && longestLedger.FinalMembers.Contains(id) && longestLedger.Blocks - ledger.Blocks > LaggingBlocks)
            {
                report.Violations.Add(string.Create(CultureInfo.InvariantCulture,
                    $"replica {id} (a member of the final view, {string.Join(",", longestLedger.FinalMembers)}) holds {ledger.Blocks} blocks, {longestLedger.Blocks - ledger.Blocks} behind ledger {longestLedger.Name}: it did not catch up"));
            }
        }

        long shortest = ledgers.Min(l => l.Blocks);
        long longest = ledgers.Max(l => l.Blocks);
        report.Summary.Add(string.Create(CultureInfo.InvariantCulture, $"ledgers: {ledgers.Count}, identical up to block {shortest - 1} (the shortest's head); longest head {longest - 1}"));
    }

    private static void CheckHistory(IReadOnlyList<HistoryRecord> history, IReadOnlyList<LedgerFacts> ledgers, CheckReport report)
    {
        var byTx = new Dictionary<Hash256, List<HistoryRecord>>();
        foreach (HistoryRecord record in history)
        {
            if (!byTx.TryGetValue(record.Transaction, out List<HistoryRecord>? list))
            {
                byTx[record.Transaction] = list = [];
            }

            list.Add(record);
        }

        int ok = 0, failed = 0, unknown = 0, unknownIn = 0;
        var spentBy = new Dictionary<Hash256, Hash256>();
        foreach ((Hash256 tx, List<HistoryRecord> records) in byTx)
        {
            HistoryRecord? success = records.Find(r => r.Outcome == OperationOutcome.Ok);
            HistoryRecord? failure = records.Find(r => r.Outcome == OperationOutcome.Fail);
            if (success is not null)
            {
                ok++;
                if (failure is { Ordered: true })
                {
                    report.Violations.Add($"{tx}: the client was told both ok and rejected-in-a-block ({failure.Error})");
                }

                CheckOk(tx, success, ledgers, report);
                foreach (Hash256 input in success.Inputs)
                {
                    if (spentBy.TryGetValue(input, out Hash256 other))
                    {
                        report.Violations.Add($"double spend: coin {input} is spent by ok transaction {other} and by ok transaction {tx}");
                    }
                    else
                    {
                        spentBy[input] = tx;
                    }
                }
            }
            else if (failure is not null)
            {
                failed++;
                CheckFailed(tx, failure, ledgers, report);
            }
            else
            {
                unknown++;
                unknownIn += ledgers.Any(l => l.Executed.ContainsKey(tx)) ? 1 : 0;
            }
        }

        report.Summary.Add(string.Create(CultureInfo.InvariantCulture,
            $"history: {history.Count} records, {byTx.Count} transactions: {ok} ok, {failed} failed, {unknown} unknown or never completed ({unknownIn} of them executed, {unknown - unknownIn} not)"));
    }

    private static void CheckOk(Hash256 tx, HistoryRecord success, IReadOnlyList<LedgerFacts> ledgers, CheckReport report)
    {
        long? block = null;
        foreach (LedgerFacts ledger in ledgers)
        {
            if (ledger.Executed.TryGetValue(tx, out List<ExecutedTransaction>? runs))
            {
                block ??= runs[0].Block;
            }
        }

        if (block is null)
        {
            report.Violations.Add($"lost: ok transaction {tx} ({success.Kind.ToString().ToLowerInvariant()} by process {success.Process}, ok at {success.TimeMs:0} ms, block {success.Block?.ToString(CultureInfo.InvariantCulture) ?? "?"}) is in no ledger");
            return;
        }

        foreach (LedgerFacts ledger in ledgers)
        {
            if (!ledger.Executed.TryGetValue(tx, out List<ExecutedTransaction>? runs))
            {
                if (ledger.Blocks > block.Value && ledger.Failure is null)
                {
                    report.Violations.Add($"lost: ok transaction {tx} (block {block} elsewhere) is missing from ledger {ledger.Name}, which has {ledger.Blocks} blocks");
                }

                continue;
            }

            ExecutedTransaction run = runs[0];
            if (!run.Succeeded)
            {
                report.Violations.Add($"ok transaction {tx} is recorded with a rejection in block {run.Block} of ledger {ledger.Name}");
            }
            else if (success.Created.Count > 0 && !success.Created.SequenceEqual(run.Created))
            {
                report.Violations.Add($"ok transaction {tx}: the client was told coins [{string.Join(", ", success.Created)}], ledger {ledger.Name} created [{string.Join(", ", run.Created)}]");
            }

            if (success.Block is long told && told != run.Block)
            {
                report.Violations.Add($"ok transaction {tx}: the client was told block {told}, ledger {ledger.Name} has it in block {run.Block}");
            }
        }
    }

    private static void CheckFailed(Hash256 tx, HistoryRecord failure, IReadOnlyList<LedgerFacts> ledgers, CheckReport report)
    {
        foreach (LedgerFacts ledger in ledgers)
        {
            if (!ledger.Executed.TryGetValue(tx, out List<ExecutedTransaction>? runs))
            {
                continue;
            }

            if (runs[0].Succeeded)
            {
                report.Violations.Add($"failed transaction {tx} ({failure.Error}) is executed with an Ok result in block {runs[0].Block} of ledger {ledger.Name}");
            }
            else if (!failure.Ordered)
            {
                report.Violations.Add($"transaction {tx}, refused before ordering ({failure.Error}), is in block {runs[0].Block} of ledger {ledger.Name}");
            }
        }
    }

    private static void CheckRecovery(IReadOnlyList<HistoryRecord> history, IReadOnlyList<FaultEvent> timeline, RecoveryOptions options, CheckReport report)
    {
        FaultEvent? firstFault = timeline.FirstOrDefault(e => e.Phase == FaultEvent.Start);
        FaultEvent? heal = timeline.LastOrDefault(e => e.Phase == FaultEvent.Heal);
        FaultEvent? loadStart = timeline.FirstOrDefault(e => e.Phase == FaultEvent.Note && e.Kind == "load");
        if (firstFault is null || heal is null)
        {
            report.Violations.Add("the timeline has no fault start or no heal: recovery cannot be judged");
            return;
        }

        double[] oks = [.. history.Where(r => r.Outcome == OperationOutcome.Ok).Select(r => r.TimeMs).Order()];

        // The sweep below steps 250 ms from the heal to the last ok: a moment outside a run (records built in code; a file
        // refuses them when read) would make it billions of steps, or endless once 250 ms is below a double's resolution.
        string? outside = (oks.Length > 0 ? HistoryRecord.TimeProblem(oks[0]) ?? HistoryRecord.TimeProblem(oks[^1]) : null) ??
            timeline.Select(e => HistoryRecord.TimeProblem(e.TimeMs)).FirstOrDefault(p => p is not null);
        if (outside is not null)
        {
            report.Violations.Add($"recovery cannot be judged: {outside}");
            return;
        }

        double windowMs = options.Window.TotalMilliseconds;
        double baseFrom = loadStart?.TimeMs ?? 0;
        double baseline = (firstFault.TimeMs - baseFrom) >= windowMs
            ? Count(oks, baseFrom, firstFault.TimeMs) * 1000 / (firstFault.TimeMs - baseFrom)
            : 0;
        if (baseline <= 0)
        {
            report.Violations.Add(string.Create(CultureInfo.InvariantCulture, $"no baseline: fewer than {options.Window.TotalSeconds} s of load, or no ok operation, before the first fault"));
            return;
        }

        double end = oks.Length == 0 ? heal.TimeMs : oks[^1];
        TimeSpan? recovered = null;
        double best = 0;
        for (double from = heal.TimeMs; from + windowMs <= end; from += 250)
        {
            double rate = Count(oks, from, from + windowMs) * 1000 / windowMs;
            best = Math.Max(best, rate);
            if (recovered is null && rate >= options.Fraction * baseline)
            {
                recovered = TimeSpan.FromMilliseconds(from + windowMs - heal.TimeMs);
            }
        }

        report.Recovery = new RecoveryResult(baseline, heal.TimeMs, recovered, best);
        report.Summary.Add(string.Create(CultureInfo.InvariantCulture,
            $"recovery: baseline {baseline:0.0} ok/s before the first fault; healed at {heal.TimeMs / 1000:0.0} s; {(recovered is { } r ? $"back to {options.Fraction:P0} of it {r.TotalSeconds:0.0} s after the heal" : "never back to speed")} (best {best:0.0} ok/s over {options.Window.TotalSeconds:0} s after the heal)"));
        if (recovered is null || recovered > options.Bound)
        {
            report.Violations.Add(string.Create(CultureInfo.InvariantCulture,
                $"slow recovery: the ok rate did not reach {options.Fraction:P0} of the baseline {baseline:0.0}/s within {options.Bound.TotalSeconds:0} s of the heal (best {best:0.0}/s)"));
        }
    }

    private static int Count(double[] sorted, double from, double to)
    {
        int lo = LowerBound(sorted, from);
        int hi = LowerBound(sorted, to);
        return hi - lo;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }
}
