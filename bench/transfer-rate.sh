#!/usr/bin/env bash
# State-transfer rate (docs/performance.md): on a stopped testnet made by `smartchain demo --dir DIR`, replica 3's data
# folder is removed and the four replicas are started without load; replica 3 rebuilds from nothing by state transfer.
# Prints replica 3's transfer summary (blocks, MB, seconds). Usage: bench/transfer-rate.sh DIR [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
net=$1
runs=${2:-3}
cli=(dotnet src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll)
cp -a "$net/node3/data" "$net/node3.data.kept"
for run in $(seq 1 "$runs"); do
  rm -rf "$net/node3/data"
  : > "$net/node3/node.log"
  "${cli[@]}" testnet start --dir "$net" > /dev/null
  until grep -q "state transfer: reached\|state transfer attempt" "$net/node3/node.log"; do sleep 0.2; done
  grep "state transfer: reached\|state transfer attempt" "$net/node3/node.log" | sed -E 's/^.*state transfer: //'
  "${cli[@]}" testnet stop --dir "$net" > /dev/null
done
rm -rf "$net/node3/data"
mv "$net/node3.data.kept" "$net/node3/data"
