#!/usr/bin/env bash
# How fast the README's demo reaches its steady throughput (docs/performance.md, "Warm start").
# Runs `smartchain demo --json` RUNS times (a fresh 4-replica network each time, 16 clients, strong SPEND) and prints,
# per run, the tx/s of the load's first second, the steady rate (the second half's) and when a half-second window
# first ran at 80% of it; then the medians. Environment variables reach the replicas too (they inherit them), so a
# runtime setting can be tried without a rebuild: DOTNET_TieredPGO=0 bench/warm-start.sh. The demo process restarts
# itself without quick JIT unless DOTNET_TC_QuickJit is set: DOTNET_TC_QuickJit=1 bench/warm-start.sh measures the
# demo process with quick JIT (its replicas run without it either way).
# Usage: bench/warm-start.sh [RUNS] [SECONDS] [DLL]   (defaults: 3, 20, the Release build of src/SmartChain.Cli)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
seconds=${2:-20}
dll=${3:-src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll}
[ -n "${NO_BUILD:-}" ] || [ -n "${3:-}" ] || dotnet build -c Release src/SmartChain.Cli -v quiet -nologo > /dev/null
results=$(mktemp)
trap 'rm -f "$results"' EXIT
printf '%-4s %14s %12s %16s %10s\n' run first-s-tx/s steady-tx/s reached-80%-at-s p50-ms
for run in $(seq "$runs"); do
  dotnet "$dll" demo --json --duration "$seconds" | python3 -c '
import json, sys
d = json.load(sys.stdin)
w = d["warmStart"]
at = w["secondsTo80PercentOfSteady"]
print("%.0f %.0f %s %.1f %s" % (w["firstSecondTxPerSecond"], w["steadyTxPerSecond"], "nan" if at is None else at, d["p50Ms"], d["succeeded"]))
' > "$results.run"
  read -r first steady at p50 ok < "$results.run"
  printf '%-4s %14s %12s %16s %10s%s\n' "$run" "$first" "$steady" "$at" "$p50" "$([ "$ok" = True ] || echo '  (ledgers did not verify)')"
  echo "$first $steady $at" >> "$results"
done
rm -f "$results.run"
python3 - "$results" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
med = [statistics.median(col) for col in zip(*rows)]
spread = [(min(col), max(col)) for col in zip(*rows)]
print(f"median: first second {med[0]:.0f} tx/s ({spread[0][0]:.0f}-{spread[0][1]:.0f}), steady {med[1]:.0f} tx/s "
      f"({spread[1][0]:.0f}-{spread[1][1]:.0f}), 80% reached after {med[2]:.1f} s ({spread[2][0]:.1f}-{spread[2][1]:.1f})")
PY
