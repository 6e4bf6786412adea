#!/usr/bin/env python3
"""Per-transaction hand-off counts from what bench/hops.sh collected (usage: hops-table.py OUT SECONDS "PIDS" LOADPID).

Transactions: each replica's `smartchain_requests_executed` over the window (every replica executes every transaction),
also for the load generator (the replicas' mean). perf stat counts per process (threads that start or end in the
window included); the /proc task table splits context switches by thread name (threads alive at the window's end)."""
import collections
import csv
import glob
import os
import re
import sys

out, seconds, pids, load_pid = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), sys.argv[4]


def metric(path, prefix):
    """Sum of every sample of the metric named prefix (with or without a _total suffix, all label sets), or None."""
    total, found = 0.0, False
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            m = re.match(r"^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)", line)
            if m and m.group(1) in (prefix, prefix + "_total"):
                total += float(m.group(3))
                found = True
    return total if found else None


def delta(i, prefix):
    a, b = metric(f"{out}/metrics-start-{i}.txt", prefix), metric(f"{out}/metrics-end-{i}.txt", prefix)
    return None if a is None or b is None else b - a


def perf(pid):
    counts = {}
    path = f"{out}/perf-{pid}.csv"
    if not os.path.exists(path):
        return counts
    for row in csv.reader(open(path)):
        if len(row) < 3 or row[0].startswith("#") or not row[0].strip():
            continue
        try:
            counts[row[2].replace("syscalls:sys_enter_", "")] = float(row[0])
        except ValueError:
            pass
    return counts


def tasks(edge, pid):
    rows = {}
    path = f"{out}/tasks-{edge}-{pid}.txt"
    if os.path.exists(path):
        for line in open(path):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                rows[parts[0]] = (parts[1], int(parts[2] or 0), int(parts[3] or 0))
    return rows


def kind(name):
    # Thread names (15 characters at most): .NET TP Worker, .NET SocketEng, .NET Timer, replicaN-consen, ...
    return re.sub(r"\d+", "N", name)


def switches_by_kind(pid):
    start, end = tasks("start", pid), tasks("end", pid)
    by = collections.Counter()
    for task, (name, v, u) in end.items():
        v0, u0 = (start[task][1], start[task][2]) if task in start else (0, 0)
        by[kind(name)] += (v - v0) + (u - u0)
    return by


tx = []
workitems = []
instances = []
for i, _ in enumerate(pids):
    tx.append(delta(i, "smartchain_requests_executed"))
    workitems.append(delta(i, "dotnet_thread_pool_work_item_count"))
    instances.append(delta(i, "smartchain_consensus_decided_instances"))
tx_ok = [t for t in tx if t]
mean_tx = sum(tx_ok) / len(tx_ok) if tx_ok else 0
if not mean_tx:
    print("no transactions executed in the window")
    sys.exit(1)

rows = collections.OrderedDict()
per_replica = [perf(pid) for pid in pids]
load = perf(load_pid)
keys = ["context-switches", "raw_syscalls:sys_enter"] + sorted(
    {k for p in per_replica + [load] for k in p if k not in ("context-switches", "raw_syscalls:sys_enter")},
    key=lambda k: -sum(p.get(k, 0) for p in per_replica))


def per_tx(values, by=None):
    by = tx if by is None else by
    vals = [v / t for v, t in zip(values, by) if v is not None and t]
    return (sum(vals) / len(vals), min(vals), max(vals)) if vals else None


# Per decided instance (consensus instance = block): what a replica pays per instance, whatever the batch size.
inst_ok = [n for n in instances if n]
mean_inst = sum(inst_ok) / len(inst_ok) if inst_ok else 0


lines = []
lines.append(f"transactions executed per replica in the {seconds:.0f} s window: {mean_tx:,.0f} ({mean_tx / seconds:,.0f} tx/s)"
             + (f"; instances decided: {mean_inst:,.0f} ({mean_tx / mean_inst:.1f} tx per instance)" if mean_inst else ""))
lines.append("")
lines.append("| per transaction | per replica (mean, min–max) | load generator | per decided instance, per replica |")
lines.append("|---|---:|---:|---:|")
names = {"context-switches": "context switches (perf)", "raw_syscalls:sys_enter": "system calls, all"}
tsv = []
for k in keys:
    r = per_tx([p.get(k) for p in per_replica])
    if r is None or (r[0] < 0.005 and load.get(k, 0) / mean_tx < 0.005):
        continue
    lg = load.get(k)
    label = names.get(k, f"  {k}")
    ri = per_tx([p.get(k) for p in per_replica], instances) if mean_inst else None
    lines.append(f"| {label} | {r[0]:.2f} ({r[1]:.2f}–{r[2]:.2f}) | {'' if lg is None else f'{lg / mean_tx:.2f}'} | {'' if ri is None else f'{ri[0]:.2f}'} |")
    tsv.append((k, r[0], '' if lg is None else lg / mean_tx))
    if ri is not None:
        tsv.append((f"per-instance:{k}", ri[0], ''))
r = per_tx(workitems)
if r:
    ri = per_tx(workitems, instances) if mean_inst else None
    lines.append(f"| thread-pool work items completed | {r[0]:.2f} ({r[1]:.2f}–{r[2]:.2f}) | | {'' if ri is None else f'{ri[0]:.2f}'} |")
    tsv.append(("threadpool-work-items", r[0], ''))
lines.append("")
lines.append("| context switches per transaction, by thread (/proc, threads alive at the end) | per replica (mean) | load generator |")
lines.append("|---|---:|---:|")
by = collections.Counter()
for pid in pids:
    by.update(switches_by_kind(pid))
lb = switches_by_kind(load_pid)
for name in sorted(set(by) | set(lb), key=lambda n: -(by[n] + lb[n])):
    a, b = by[name] / len(pids) / mean_tx, lb[name] / mean_tx
    if a >= 0.005 or b >= 0.005:
        lines.append(f"| {name} | {a:.2f} | {b:.2f} |")
        tsv.append((f"switches:{name}", a, b))


def per_thread(pid):
    """(thread kind, event) -> count, from perf stat --per-thread (first column: comm-tid)."""
    counts = collections.Counter()
    path = f"{out}/perf-threads-{pid}.csv"
    if os.path.exists(path):
        for row in csv.reader(open(path)):
            if len(row) < 4 or row[0].startswith("#"):
                continue
            try:
                value = float(row[1])
            except ValueError:
                continue
            comm = row[0].rsplit("-", 1)[0].strip()
            counts[(kind(comm), row[3].replace("syscalls:sys_enter_", "").replace("raw_syscalls:sys_enter", "syscalls"))] += value
    return counts


events = ["context-switches", "syscalls", "futex", "sendto", "recvfrom"]
rep = collections.Counter()
for pid in pids:
    rep.update(per_thread(pid))
lt = per_thread(load_pid)
if rep or lt:
    lines.append("")
    lines.append("| per transaction, by thread (perf --per-thread; replicas' mean, then the load generator) | " + " | ".join(events) + " |")
    lines.append("|---|" + "---:|" * len(events))
    for who, table, n in (("replica", rep, len(pids)), ("load generator", lt, 1)):
        for name in sorted({k for k, _ in table}, key=lambda k: -table[(k, "syscalls")] - table[(k, "context-switches")]):
            cells = [table[(name, e)] / n / mean_tx for e in events]
            if max(cells) >= 0.005:
                lines.append(f"| {who}: {name} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
                tsv.extend((f"{who}:{name}:{e}", c, '') for e, c in zip(events, cells))
print("\n".join(lines))
with open(f"{out}/hops.tsv", "w") as f:
    for k, a, b in tsv:
        f.write(f"{k}\t{a}\t{b}\n")
