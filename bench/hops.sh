#!/usr/bin/env bash
# Hand-offs per request (docs/performance.md, "Hand-offs per request (issue 16)"): what a replica does per transaction
# that is not computation: context switches (by thread kind), system calls (by kind), thread-pool work items. Counts,
# unlike CPU time, hardly depend on the load others put on the machine, so two builds compare on a shared machine.
# Starts a local testnet (each replica with `node run --metrics-port`, no quick JIT, as the bench's own networks run),
# drives it with `smartchain bench --network` (one sweep point that warms up, then the measured run), and during the
# measured run, for SECONDS, counts per replica and for the load generator:
#   - `perf stat` (software events and syscall tracepoints, which this VM has; hardware counters it has not):
#     context switches and system calls, all and by kind (sendmsg, recvmsg, epoll_wait, futex, ...);
#   - /proc/PID/task/*/status: voluntary + involuntary context switches by thread name, at both edges (threads that
#     end within the window are missed there, not in perf's figure);
#   - the replica's Prometheus metrics: thread-pool work items completed (`dotnet_thread_pool_work_item_count`) and
#     requests executed (`smartchain_requests_executed`), the transactions the counts are divided by.
# Prints one table (per transaction per replica, the replicas' mean) and writes OUT/hops.md, OUT/hops.tsv.
# Usage: bench/hops.sh [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS] [DLL]
#   defaults: /tmp/smartchain-hops 10 64 strong 4 src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll
#   (DLL: another build's smartchain.dll, to compare two commits). Needs root for perf (installed if missing).
#   REPLICA_ENV="NAME=VALUE ..." gives the replicas (only them) more environment, e.g. a runtime setting to try.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-/tmp/smartchain-hops}")
seconds=${2:-10}
clients=${3:-64}
persistence=${4:-strong}
replicas=${5:-4}
dll=${6:-src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll}
if [ -z "${6:-}" ] && [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release src/SmartChain.Cli -v quiet -nologo > /dev/null
fi
if ! command -v perf > /dev/null; then
  apt-get update -qq && apt-get install -y -qq linux-perf > /dev/null
fi
cli=(dotnet "$dll")

mkdir -p "$out"
rm -rf "$out/net" "$out/bench" "$out"/perf-*.csv "$out"/perf-threads-*.csv "$out"/tasks-*.txt "$out"/metrics-*.txt # a previous run here, nothing else
net="$out/net"
# BASE_PORT (below 32768) moves the testnet off another one's ports, as in bench/lib.sh.
"${cli[@]}" testnet init --dir "$net" --replicas "$replicas" --persistence "$persistence" \
  ${BASE_PORT:+--base-port "$BASE_PORT"} > "$out/init.log"
pids=()
bench_pid=
cleanup() {
  [ -n "$bench_pid" ] && kill "$bench_pid" 2> /dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
}
trap cleanup EXIT

# Metrics ports: free ones above the testnet's (the script's own choice; 127.0.0.1 only).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ports=()
for ((i = 0; i < replicas; i++)); do
  ports+=("$(free_port)")
  env DOTNET_TC_QuickJit=0 ${REPLICA_ENV:-} "${cli[@]}" node run --home "$net/node$i" --metrics-port "${ports[$i]}" > "$out/node$i.log" 2>&1 &
  pids+=($!)
done
for ((i = 0; i < replicas; i++)); do
  until curl -sf "http://127.0.0.1:${ports[$i]}/metrics" > /dev/null; do
    kill -0 "${pids[$i]}" 2> /dev/null || { echo "replica $i ended:"; cat "$out/node$i.log"; exit 1; }
    sleep 0.2
  done
done

"${cli[@]}" bench --network "$net/genesis.json" --operations spend --clients "$clients" --runs 1 \
  --duration $((seconds + 6)) --out "$out/bench" > "$out/bench.log" 2>&1 &
bench_pid=$!
until grep -q " sweep:" "$out/bench.log"; do
  kill -0 "$bench_pid" 2> /dev/null || { echo "bench ended early:"; cat "$out/bench.log"; exit 1; }
  sleep 0.2
done
sleep 4

events=context-switches,raw_syscalls:sys_enter
for call in sendmsg recvmsg sendto recvfrom write read writev readv epoll_wait epoll_ctl futex sched_yield fsync fdatasync pwrite64 pread64 mprotect madvise; do
  events+=",syscalls:sys_enter_$call"
done
snapshot() { # $1: edge name
  for ((i = 0; i < replicas; i++)); do
    curl -sf "http://127.0.0.1:${ports[$i]}/metrics" > "$out/metrics-$1-$i.txt" || true
  done
  for pid in "${pids[@]}" "$bench_pid"; do
    for task in /proc/"$pid"/task/*; do
      # name, voluntary, involuntary (a thread may end while it is read)
      awk -v OFS='\t' '/^Name:/ {sub(/^Name:[ \t]*/, ""); n=$0} /^voluntary_ctxt/ {v=$2} /^nonvoluntary_ctxt/ {u=$2} END {if (n != "") print FILENAME, n, v, u}' \
        "$task/status" 2> /dev/null || true
    done > "$out/tasks-$1-$pid.txt"
  done
}
snapshot start
perf_pids=()
for pid in "${pids[@]}" "$bench_pid"; do
  perf stat -x, -e "$events" -p "$pid" -o "$out/perf-$pid.csv" -- sleep "$seconds" 2> /dev/null &
  perf_pids+=($!)
  # The same split by thread (threads alive at the end of the window), to see which threads wake and call.
  perf stat -x, --per-thread -e context-switches,syscalls:sys_enter_futex,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,raw_syscalls:sys_enter \
    -p "$pid" -o "$out/perf-threads-$pid.csv" -- sleep "$seconds" 2> /dev/null &
  perf_pids+=($!)
done
for p in "${perf_pids[@]}"; do wait "$p" || true; done
snapshot end
load_pid=$bench_pid
wait "$bench_pid"
bench_pid=
grep -E "run 1|txPerBlock|tx/s" "$out/bench.log" | tail -3 || true

python3 bench/hops-table.py "$out" "$seconds" "${pids[*]}" "$load_pid" | tee "$out/hops.md"
