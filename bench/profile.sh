#!/usr/bin/env bash
# Where a transaction's CPU goes (docs/performance.md, "Where a transaction's CPU goes").
# Starts a local testnet (replicas with DOTNET_PerfMapEnabled=1, so perf can name JIT-compiled methods), drives it with
# `smartchain bench --network` (SPEND, closed loop), and while the bench's measured run goes on samples every replica
# and the load generator with `perf record` (system-wide, no call graphs: self time). Then it prints, per role (a replica, the
# load generator), the share of CPU per component and, from the bench's own CPU µs per transaction for the same run,
# the microseconds per transaction. Also per thread, which shows the hand-offs. Everything lands in OUT.
# Usage: [CALLGRAPH=1] bench/profile.sh [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS]
#   defaults: /tmp/smartchain-profile 10 64 strong 4. Needs root (perf) and perf (linux-perf; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_args /tmp/smartchain-profile "$@"

if ! command -v perf > /dev/null; then
  apt-get update -qq && apt-get install -y -qq linux-perf > /dev/null
fi
bench_build
bench_testnet_init 'by-*.tsv' perf.data # a previous profile here, nothing else
# PerfMapEnabled: the JIT writes /tmp/perf-PID.map, which names its code for perf. EnableWriteXorExecute=0: with W^X on,
# JIT code runs from a double mapping (memfd:doublemapper) that perf cannot match with that map. The replicas and the
# load generator (the bench) run with them.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
bench_testnet_start
bench_run_start
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute # the CLI runs below write no maps
# System-wide (-a): with -p, perf gives up when one of .NET's short-lived pool threads ends while it attaches. The
# table keeps only the replicas' and the load generator's samples.
# CALLGRAPH=1 records call graphs too (-g): bench/profile-stacks.py then splits each replica's samples by the loop they
# ran in (outermost SmartChain.* frame) and by system call (docs/performance.md, "The cost of an instance").
perf record -a ${CALLGRAPH:+-g} -F 999 -o "$out/perf.data" -- sleep "$seconds" 2> "$out/perf-record.log"
load_pid=$bench_pid
bench_run_wait

# Per process (--pid takes its threads too): self time by shared object and symbol, and by thread name.
for pid in $replica_pids $load_pid; do
  perf report -i "$out/perf.data" --pid="$pid" --stdio --no-children --percentage absolute --sort dso,sym -F overhead,dso,sym --percent-limit 0 -t $'\t' \
    2> /dev/null | grep -v '^#' | grep -v '^$' > "$out/by-symbol-$pid.tsv" || true
  perf report -i "$out/perf.data" --pid="$pid" --stdio --no-children --percentage absolute --sort pid -F overhead,pid --percent-limit 0 -t $'\t' \
    2> /dev/null | grep -v '^#' | grep -v '^$' > "$out/by-thread-$pid.tsv" || true
done
python3 bench/profile-table.py "$out" "${replica_pids// /,}" "$load_pid" | tee "$out/profile.md"
if [ -n "${CALLGRAPH:-}" ]; then
  python3 bench/profile-stacks.py "$out/perf.data" "${replica_pids// /,}" | tee "$out/stacks.md"
fi
# The perf maps of this run's processes (replicas, load generator, the CLI that started them), once they have ended.
"${cli[@]}" testnet stop --dir "$net" > /dev/null 2>&1 || true
find /tmp -maxdepth 1 -name 'perf*-*.map' -newer "$out/init.log" | while read -r map; do
  pid=${map##*-}
  [ -d "/proc/${pid%.map}" ] || rm -f "$map"
done
