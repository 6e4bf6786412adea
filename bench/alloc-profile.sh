#!/usr/bin/env bash
# Where a transaction's allocations come from (docs/performance.md, "Allocations per transaction (issue 16)").
# Starts a local testnet, drives it with `smartchain bench --network` (SPEND, closed loop), and while the bench's
# measured run goes on records every replica with `dotnet-trace collect --profile gc-verbose` (the runtime's
# AllocationTick events: one per ~100 KB a thread allocates, with the type and the managed stack). Then
# bench/SmartChain.AllocationTable turns the traces into tables by type, by allocating method and by our innermost
# frame, scaled by the bench's own bytes allocated per transaction per replica for the same run. Everything lands in OUT.
# Usage: bench/alloc-profile.sh [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS]
#   defaults: /tmp/smartchain-alloc 10 64 strong 4; BASE_PORT moves the testnet's ports off another one's (bench/lib.sh). Installs dotnet-trace (a NuGet tool) into OUT/../smartchain-tools if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_args /tmp/smartchain-alloc "$@"

tools=${TOOLS:-$(dirname "$out")/smartchain-tools}
if [ ! -x "$tools/dotnet-trace" ]; then
  dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$tools" > /dev/null
fi
table=bench/SmartChain.AllocationTable/bin/Release/net10.0/SmartChain.AllocationTable.dll
bench_build
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release bench/SmartChain.AllocationTable -v quiet -nologo > /dev/null
bench_testnet_init '*.nettrace' '*.etlx' # a previous profile here, nothing else
# As the bench's own networks run them (LocalNetwork): optimized code from the first call, no tier-0 allocations.
DOTNET_TC_QuickJit=0 bench_testnet_start
bench_run_start
tracers=()
for pid in $replica_pids; do
  "$tools/dotnet-trace" collect -p "$pid" --profile gc-verbose --duration "00:00:00:$(printf %02d "$seconds")" \
    -o "$out/replica-$pid.nettrace" > "$out/trace-$pid.log" 2>&1 &
  tracers+=($!)
done
wait "${tracers[@]}"
bench_run_wait

# The bench's measured run: the mean over the replicas of bytes allocated per transaction.
bytes=$(python3 -c 'import json,sys; p=[p for p in json.load(open(sys.argv[1]))["points"] if not p["sweep"]][-1]; v=p.get("allocatedBytesPerTxPerReplica") or [0]; print(sum(v)/len(v))' "$out/bench/bench.json")
dotnet "$table" "$out"/replica-*.nettrace --bytes-per-tx "$bytes" | tee "$out/allocations.md"
