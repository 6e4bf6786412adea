#!/usr/bin/env bash
# What the HTTP API costs the network (docs/api.md): a 4-replica testnet with the API on every replica runs SPEND load
# with `smartchain bench --network`, RUNS rounds of one run of SECONDS alone and one while bench/api-flood.py
# floods every replica's API with status and block requests for the whole bench. Prints both sets of SPEND tx/s and
# the flood's request counts. RATE is the API's requests a second per source (--http-rate; the flood comes from one
# address, so the default 50 turns the rest of it into 429s, each sent after a one-second delay; a large RATE measures the API answering everything).
# CLIENTS bench clients of 4 streams each (at most 8: a replica admits 8 handshakes at once from one address).
# Usage: bench/api-flood.sh [DIR] [SECONDS] [RUNS] [RATE] [THREADS] [CLIENTS]   (build first: dotnet build -c Release src/SmartChain.Cli)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/smartchain-api-flood}
seconds=${2:-10}
runs=${3:-5}
rate=${4:-1000000}
threads=${5:-4}
clients=${6:-4}
cli=(dotnet src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll)
http=$((20000 + RANDOM % 10000))
rm -rf "$dir"
"${cli[@]}" testnet init --dir "$dir" --replicas 4 --base-port $((http + 100)) > /dev/null
trap '"${cli[@]}" testnet stop --dir "$dir" > /dev/null || true' EXIT
"${cli[@]}" testnet start --dir "$dir" --http "$http" --http-rate "$rate"
urls=(); for i in 0 1 2 3; do urls+=("http://127.0.0.1:$((http + i))"); done
bench=("${cli[@]}" bench --network "$dir/genesis.json" --operations spend --clients "$clients" --runs 1 --duration "$seconds")
# Rounds alternate alone and flooded, so a machine whose load drifts (a shared one) moves both sides alike.
for round in $(seq 1 "$runs"); do
  echo "== round $round: SPEND without API load"
  "${bench[@]}" --out "$dir/alone-$round" | grep -E "spend .* run " | tee -a "$dir/alone.txt"
  echo "== round $round: SPEND while flooding the API of every replica ($threads connections each, --http-rate $rate)"
  python3 bench/api-flood.py 600 "$threads" "${urls[@]}" > "$dir/flood-$round.txt" &
  flood=$!
  "${bench[@]}" --out "$dir/flooded-$round" | grep -E "spend .* run " | tee -a "$dir/flooded.txt"
  kill -TERM "$flood" 2>/dev/null || true
  wait "$flood" 2>/dev/null || true
  cat "$dir/flood-$round.txt"
done
median() { grep -oE '[0-9,]+ tx/s' "$1" | tr -d ', tx/s' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
alone=$(median "$dir/alone.txt")
flooded=$(median "$dir/flooded.txt")
echo "median SPEND tx/s: alone $alone, under the API flood $flooded ($(awk -v a="$alone" -v f="$flooded" 'BEGIN {printf "%+.1f%%", (f - a) * 100 / a}'))"
