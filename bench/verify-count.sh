#!/usr/bin/env bash
# Ed25519 work per transaction and per block, per replica (docs/performance.md, "Fewer verifications (issue 16)").
# Starts a local testnet, puts uprobes on libsodium's crypto_sign_ed25519_verify_detached and _detached (the library the
# replicas load), records every call of the replicas during a whole `smartchain bench --network` (SPEND, closed loop:
# the sweep point and the measured run), then stops the testnet and divides by the transactions and blocks in each
# replica's ledger. The probes fetch the signed message's first byte (its domain tag) and length, which tell a client
# request from a WRITE, an ACCEPT and a block signature. Everything lands in OUT (counts.md).
# Usage: bench/verify-count.sh [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS]
#   defaults: /tmp/smartchain-verify-count 10 64 strong 4. Needs root (uprobes) and perf. NO_BUILD=1 uses the built CLI,
#   SMARTCHAIN_DLL=PATH/smartchain.dll another build;
#   BASE_PORT moves the testnet. The probes are kernel-wide: they are named sc_* and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_args /tmp/smartchain-verify-count "$@"
if [ -n "${SMARTCHAIN_DLL:-}" ]; then # another build's smartchain.dll (e.g. main's, to compare): used as it is
  dll=$SMARTCHAIN_DLL cli=(dotnet "$dll") NO_BUILD=1
fi

if ! command -v perf > /dev/null; then
  apt-get update -qq && apt-get install -y -qq linux-perf > /dev/null
fi
bench_build
bench_testnet_init probes.data 'calls-*.txt' counts.md
lib=$(realpath "$(dirname "$dll")/runtimes/linux-x64/native/libsodium.so")

# A uprobe's offset is the symbol's address minus the difference between its segment's address and file offset.
offset() {
  python3 - "$lib" "$1" <<'PY'
import subprocess, sys
lib, symbol = sys.argv[1], sys.argv[2]
address = next(int(l.split()[0], 16) for l in subprocess.run(["nm", "-D", lib], capture_output=True, text=True).stdout.splitlines()
               if l.split()[-1] == symbol)
for line in subprocess.run(["readelf", "-lW", lib], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if f and f[0] == "LOAD" and int(f[2], 16) <= address < int(f[2], 16) + int(f[5], 16):
        print(hex(address - (int(f[2], 16) - int(f[1], 16))))
        break
PY
}
verify=$(offset crypto_sign_ed25519_verify_detached)
sign=$(offset crypto_sign_ed25519_detached)
perf probe -q -d 'probe_libsodium:sc_*' 2> /dev/null || true
# verify_detached(sig, m, mlen, pk) and detached(sig, siglen_p, m, mlen, sk): m and mlen in the System V registers.
perf probe -q -x "$lib" -a "sc_verify=$verify mlen=%dx:u64 tag=+0(%si):u8"
perf probe -q -x "$lib" -a "sc_sign=$sign mlen=%cx:u64 tag=+0(%dx):u8"
trap 'perf probe -q -d "probe_libsodium:sc_*" || true; bench_cleanup' EXIT

bench_testnet_start
perf record -q -e probe_libsodium:sc_verify -e probe_libsodium:sc_sign -p "${replica_pids// /,}" -o "$out/probes.data" 2> "$out/perf-record.log" &
perf_pid=$!
sleep 1 # perf attaches before the load starts
"${cli[@]}" bench --network "$net/genesis.json" --operations spend --clients "$clients" --runs 1 \
  --duration "$seconds" --out "$out/bench" > "$out/bench.log" 2>&1
kill -INT "$perf_pid"
wait "$perf_pid" || true
"${cli[@]}" testnet stop --dir "$net" > /dev/null 2>&1 || true

# Per replica: calls by kind (by the domain tag; a client request's
# signed bytes are longer than any vote statement; see SignatureDomain: 2 ACCEPT, 3 block header, 4 WRITE), then per transaction and per block of its ledger.
perf script -i "$out/probes.data" -F pid,event,trace 2> /dev/null > "$out/calls-all.txt"
{
  echo "| replica | transactions | blocks | request verifications (beyond one per tx) | WRITE | ACCEPT | block | verifications per block (votes and block) | signatures per block |"
  echo "|---|---|---|---|---|---|---|---|---|"
  i=0
  for pid in $replica_pids; do
    report=$("${cli[@]}" ledger verify --home "$net/node$i" --json || true) # exit 1 if its last block is uncertified
    tx=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["transactions"])')
    blocks=$(echo "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["blocks"])')
    python3 - "$out/calls-all.txt" "$pid" "$i" "$tx" "$blocks" <<'PY'
import collections, re, sys
path, pid, replica, tx, blocks = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
verifications, signatures = collections.Counter(), 0
for line in open(path):
    fields = line.split()
    if not fields or fields[0] != pid:
        continue
    values = dict(re.findall(r"(mlen|tag)=(\w+)", line))
    length, tag = int(values.get("mlen", "0"), 0), int(values.get("tag", "0"), 0)
    if "sc_sign" in line:
        signatures += 1
    else:
        verifications["request" if length > 80 else {4: "write", 2: "accept", 3: "block"}.get(tag, "other")] += 1
votes = verifications["write"] + verifications["accept"] + verifications["block"]
print(f"| {replica} | {tx} | {blocks} | {verifications['request']} ({verifications['request'] - tx:+d}) | {verifications['write'] / blocks:.2f} | "
      f"{verifications['accept'] / blocks:.2f} | {verifications['block'] / blocks:.2f} | {votes / blocks:.2f} | {signatures / blocks:.2f} |"
      + (f" other: {verifications['other']}" if verifications["other"] else ""))
PY
    i=$((i + 1))
  done
} | tee "$out/counts.md"
tail -4 "$out/bench.log"
