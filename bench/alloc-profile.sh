#!/usr/bin/env bash
# Where a transaction's allocations come from (docs/performance.md, "Allocations per transaction (issue 16)").
# Starts a local testnet, drives it with `smartchain bench --network` (SPEND, closed loop), and while the bench's
# measured run goes on records every replica with `dotnet-trace collect --profile gc-verbose` (the runtime's
# AllocationTick events: one per ~100 KB a thread allocates, with the type and the managed stack). Then
# bench/SmartChain.AllocationTable turns the traces into tables by type, by allocating method and by our innermost
# frame, scaled by the bench's own bytes allocated per transaction per replica for the same run. Everything lands in OUT.
# Usage: bench/alloc-profile.sh [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS]
#   defaults: /tmp/smartchain-alloc 10 64 strong 4; BASE_PORT (default 27000) moves the testnet's ports off another one's. Installs dotnet-trace (a NuGet tool) into OUT/../smartchain-tools if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-/tmp/smartchain-alloc}")
seconds=${2:-10}
clients=${3:-64}
persistence=${4:-strong}
replicas=${5:-4}

tools=${TOOLS:-$(dirname "$out")/smartchain-tools}
if [ ! -x "$tools/dotnet-trace" ]; then
  dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$tools" > /dev/null
fi
dll=src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll
table=bench/SmartChain.AllocationTable/bin/Release/net10.0/SmartChain.AllocationTable.dll
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release src/SmartChain.Cli -v quiet -nologo > /dev/null
  dotnet build -c Release bench/SmartChain.AllocationTable -v quiet -nologo > /dev/null
fi
cli=(dotnet "$dll")

mkdir -p "$out"
rm -rf "$out/net" "$out/bench" "$out"/*.nettrace "$out"/*.etlx # a previous profile here, nothing else
net="$out/net"
"${cli[@]}" testnet init --dir "$net" --replicas "$replicas" --persistence "$persistence" \
  --base-port "${BASE_PORT:-27000}" > "$out/init.log"
bench_pid=
cleanup() {
  [ -n "$bench_pid" ] && kill "$bench_pid" 2> /dev/null || true
  "${cli[@]}" testnet stop --dir "$net" > /dev/null 2>&1 || true
}
trap cleanup EXIT
# As the bench's own networks run them (LocalNetwork): optimized code from the first call, no tier-0 allocations.
DOTNET_TC_QuickJit=0 "${cli[@]}" testnet start --dir "$net" > "$out/start.log"
replica_pids=$(awk 1 "$net"/node*/node.pid | paste -sd' ' -) # the pid files end without a newline

# One sweep point (it warms the JIT and the network up), then the measured run that is traced.
"${cli[@]}" bench --network "$net/genesis.json" --operations spend --clients "$clients" --runs 1 \
  --duration $((seconds + 6)) --out "$out/bench" > "$out/bench.log" 2>&1 &
bench_pid=$!
until grep -q " sweep:" "$out/bench.log"; do
  kill -0 "$bench_pid" 2> /dev/null || { echo "bench ended early:"; cat "$out/bench.log"; exit 1; }
  sleep 0.2
done
sleep 4
tracers=()
for pid in $replica_pids; do
  "$tools/dotnet-trace" collect -p "$pid" --profile gc-verbose --duration "00:00:00:$(printf %02d "$seconds")" \
    -o "$out/replica-$pid.nettrace" > "$out/trace-$pid.log" 2>&1 &
  tracers+=($!)
done
wait "${tracers[@]}"
wait "$bench_pid"
bench_pid=
cat "$out/bench.log"

# The bench's measured run: the mean over the replicas of bytes allocated per transaction.
bytes=$(python3 -c 'import json,sys; p=[p for p in json.load(open(sys.argv[1]))["points"] if not p["sweep"]][-1]; v=p.get("allocatedBytesPerTxPerReplica") or [0]; print(sum(v)/len(v))' "$out/bench/bench.json")
dotnet "$table" "$out"/replica-*.nettrace --bytes-per-tx "$bytes" | tee "$out/allocations.md"
