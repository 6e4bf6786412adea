#!/usr/bin/env python3
"""Turns bench/profile.sh's perf reports into the table "where a transaction's CPU goes" (Markdown on stdout).

Arguments: OUT (the profile folder), the replicas' pids (comma-separated), the load generator's pid. Reads
OUT/by-symbol-PID.tsv and OUT/by-thread-PID.tsv per process (perf report, self time, tab-separated) and OUT/bench/bench.json (CPU µs per
transaction of the profiled run), and splits each role's CPU into components by shared object and symbol.
"""
import json
import re
import sys
from collections import defaultdict

# (component, test on (dso, symbol)); the first that matches wins.
KERNEL = [
    ("kernel: scheduling, wake-ups, context switches", re.compile(r"sched|switch|schedule|pick_next|enqueue|dequeue|wake|idle|select_task|update_curr|update_load|psi_|ttwu|finish_task|hrtimer|tick")),
    ("kernel: futex", re.compile(r"futex")),
    ("kernel: TCP over loopback", re.compile(r"tcp|skb|sock|ip_|ipv4|ipv6|inet|net_|netif|napi|loopback|__dev_|dev_hard|nf_|neigh|sk_|csum|copy_user|epoll|ep_poll")),
    ("kernel: files and fsync", re.compile(r"ext4|jbd2|blk|bio|fsync|iomap|writeback|filemap|nvme|virtblk|xfs|page_cache|folio")),
]


def component(dso, sym):
    d = dso.lower()
    if d == "[kernel.kallsyms]" or sym.startswith("[k]"):
        for name, pattern in KERNEL:
            if pattern.search(sym):
                return name
        return "kernel: other (syscalls, memory, interrupts)"
    if "libsodium" in d:
        return "libsodium (Ed25519 sign/verify, ChaCha20-Poly1305 frames)"
    if "libcrypto" in d or "libssl" in d or "cryptography.native" in d:
        return "OpenSSL (SHA-256)"
    if "libclrjit" in d:
        return "JIT compiler"
    if "libcoreclr" in d:
        return "CLR runtime (GC, thread pool, stubs, type system)"
    if d.startswith("libc") or "libpthread" in d or d.startswith("ld-linux") or "libsystem.native" in d:
        return "libc and .NET's native shims"
    managed = d.startswith("[jit]") or d.startswith("perf-") or d.endswith(".dll")
    if managed:
        if "[SmartChain." in sym or "SmartChain." in dso:
            return "our managed code (SmartChain.*)"
        return "framework and library managed code (BCL, NSec, pipelines, channels)"
    return "other"


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = [p.strip() for p in line.rstrip("\n").split("\t")]
            if len(parts) >= 2 and parts[0].endswith("%"):
                yield float(parts[0].rstrip("%")), parts[1:]


def main():
    out, replica_pids, load_pid = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3]
    roles = {pid: "replica" for pid in replica_pids}
    roles[load_pid] = "load generator"
    shares = {"replica": defaultdict(float), "load generator": defaultdict(float)}
    threads = {"replica": defaultdict(float), "load generator": defaultdict(float)}
    totals = defaultdict(float)
    thread_totals = defaultdict(float)
    for pid, role in roles.items():
        # Absolute percentages (of all samples), so they add up across processes.
        for share, (dso, *sym) in read(f"{out}/by-symbol-{pid}.tsv"):
            shares[role][component(dso, sym[0] if sym else "")] += share
            totals[role] += share
        for share, (tid_comm, *_) in read(f"{out}/by-thread-{pid}.tsv"):
            # "TID:name"; names without their numbers (".NET TP Worker", "consensus"), so the threads of a kind add up.
            comm = tid_comm.split(":", 1)[-1].strip()
            threads[role][re.sub(r"[ #]*\d+$", "", comm) or comm] += share
            thread_totals[role] += share

    with open(f"{out}/bench/bench.json", encoding="utf-8") as f:
        bench = json.load(f)
    run = [p for p in bench["points"] if not p["sweep"]][-1]
    per_replica = run["cpuMicrosPerTxPerReplica"]
    micros = {
        "replica": sum(per_replica) / len(per_replica) if per_replica else None,
        "load generator": run.get("loadGeneratorCpuMicrosPerTx"),
    }
    print(f"Profiled run: {run['operation'].upper()}, {run['clients']} clients ({run['streams']} streams), "
          f"{run['txPerSecond']:,.0f} tx/s, p50 {run['p50Ms']:.1f} ms; CPU per replica {', '.join(f'{c:.2f}' for c in run['cpuPerReplica'])} cores; "
          f"CPU µs/tx per replica {', '.join(f'{u:.0f}' for u in per_replica)}; load generator {micros['load generator'] or 0:.0f} µs/tx.")
    for role in ("replica", "load generator"):
        total = totals[role]
        if total == 0:
            continue
        us = micros[role]
        title = f"{role} (all {len(replica_pids)} together)" if role == "replica" else role
        print()
        print(f"| where a transaction's CPU goes: {title} | share | µs per transaction{' per replica' if role == 'replica' else ''} |")
        print("|---|---:|---:|")
        for name, share in sorted(shares[role].items(), key=lambda kv: -kv[1]):
            print(f"| {name} | {100 * share / total:.1f}% | {'' if us is None else f'{us * share / total:.1f}'} |")
        print(f"| **total** | 100% | **{'' if us is None else f'{us:.0f}'}** |")
        print()
        print(f"| {role}: thread | share |")
        print("|---|---:|")
        for name, share in sorted(threads[role].items(), key=lambda kv: -kv[1])[:12]:
            print(f"| {name} | {100 * share / thread_totals[role]:.1f}% |")


if __name__ == "__main__":
    main()
