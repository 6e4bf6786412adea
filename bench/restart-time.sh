#!/usr/bin/env bash
# Restart time of one replica against ledger length, with and without checkpoints (docs/performance.md).
# For each demo length it builds a 4-replica ledger with `smartchain demo --dir`, then starts replica 0 alone three
# times from its own files: once as it is (snapshots in data/checkpoints), once with the snapshots moved away
# (replay from genesis). Reported: the replica's own "recovered" line (replay time) and the wall time from process
# start to that line (includes opening the block store and .NET start-up). Checkpoint period: $PERIOD (default 250).
# Usage: [PERIOD=250] bench/restart-time.sh [OUT] [SECONDS...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/smartchain-restart}
shift || true
lengths=("${@:-10 30 90}")
dotnet build -c Release src/SmartChain.Cli -v quiet -nologo > /dev/null
cli=(dotnet src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll)
mkdir -p "$out"
printf '%-8s %-10s %-12s %-10s %-10s %s\n' seconds blocks transactions mode replay-s wall-s
for secs in ${lengths[*]}; do
  dir="$out/net-$secs"
  rm -rf "$dir"
  "${cli[@]}" demo --dir "$dir" --duration "$secs" --checkpoint-period "${PERIOD:-250}" > "$out/demo-$secs.txt"
  home="$dir/node0"
  for mode in snapshot genesis; do
    [ "$mode" = genesis ] && mv "$home/data/checkpoints" "$home/data/checkpoints.off"
    for run in 1 2 3; do
      [ "$mode" = genesis ] && rm -rf "$home/data/checkpoints" # the replay writes the snapshots it passes again
      log="$out/restart-$secs-$mode-$run.log"
      start=$(date +%s.%N)
      "${cli[@]}" node run --home "$home" > "$log" 2>&1 &
      pid=$!
      until grep -q "recovered from its ledger" "$log"; do
        kill -0 "$pid" 2> /dev/null || { echo "replica exited: $(tail -3 "$log")"; exit 1; }
        sleep 0.05
      done
      end=$(date +%s.%N)
      kill -TERM "$pid"; wait "$pid" || true
      line=$(grep "recovered from its ledger" "$log")
      blocks=$(sed -E 's/.*ledger: ([0-9]+) blocks.*/\1/' <<< "$line")
      txs=$(sed -E 's/.*: ([0-9]+) transactions re-executed.*/\1/' <<< "$line")
      replay=$(sed -E 's/.* in ([0-9.]+) s;.*/\1/' <<< "$line")
      printf '%-8s %-10s %-12s %-10s %-10s %.2f\n' "$secs" "$blocks" "$txs" "$mode" "$replay" "$(echo "$end - $start" | bc)"
    done
    [ "$mode" = genesis ] && rm -rf "$home/data/checkpoints" && mv "$home/data/checkpoints.off" "$home/data/checkpoints"
  done
done
