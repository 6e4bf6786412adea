# Shared set-up of the profiling scripts (bench/profile.sh, bench/alloc-profile.sh), sourced by them from the repository
# root: a local testnet, `smartchain bench --network` driving it (SPEND, closed loop, one sweep point then one measured
# run), and the cleanup that stops both whatever happens. Each script profiles the measured run its own way.

# bench_args DEFAULT_OUT [OUT] [SECONDS] [CLIENTS] [PERSISTENCE] [REPLICAS]: the scripts' common arguments.
bench_args() {
  out=$(realpath -m "${2:-$1}")
  seconds=${3:-10}
  clients=${4:-64}
  persistence=${5:-strong}
  replicas=${6:-4}
  dll=src/SmartChain.Cli/bin/Release/net10.0/smartchain.dll
  cli=(dotnet "$dll")
}

# bench_build: the CLI in Release, unless NO_BUILD is set.
bench_build() {
  [ -n "${NO_BUILD:-}" ] || dotnet build -c Release src/SmartChain.Cli -v quiet -nologo > /dev/null
}

# bench_testnet_init [GLOB...]: OUT made, a previous profile's testnet, bench output and GLOBs (relative to OUT) removed
# (nothing else there), a fresh testnet initialised in OUT/net, and the cleanup trap set.
bench_testnet_init() {
  mkdir -p "$out"
  rm -rf "$out/net" "$out/bench"
  local glob
  for glob in "$@"; do
    rm -rf "$out"/$glob
  done
  net="$out/net"
  # BASE_PORT (below 32768, Linux's ephemeral range starts there) moves the testnet off another one's ports.
  "${cli[@]}" testnet init --dir "$net" --replicas "$replicas" --persistence "$persistence" \
    ${BASE_PORT:+--base-port "$BASE_PORT"} > "$out/init.log"
  bench_pid=
  trap bench_cleanup EXIT
}

bench_cleanup() {
  [ -n "$bench_pid" ] && kill "$bench_pid" 2> /dev/null || true
  "${cli[@]}" testnet stop --dir "$net" > /dev/null 2>&1 || true
}

# bench_testnet_start: starts the testnet (with the caller's environment) and sets replica_pids, space-separated.
bench_testnet_start() {
  "${cli[@]}" testnet start --dir "$net" > "$out/start.log"
  replica_pids=$(awk 1 "$net"/node*/node.pid | paste -sd' ' -) # the pid files end without a newline
}

# bench_run_start: starts the bench in the background (bench_pid) and returns once its measured run is warm: after the
# sweep point's line (which warmed the JIT and the network up) and the measured run's warm-up (2 s) and set-up.
bench_run_start() {
  "${cli[@]}" bench --network "$net/genesis.json" --operations spend --clients "$clients" --runs 1 \
    --duration $((seconds + 6)) --out "$out/bench" > "$out/bench.log" 2>&1 &
  bench_pid=$!
  until grep -q " sweep:" "$out/bench.log"; do
    kill -0 "$bench_pid" 2> /dev/null || { echo "bench ended early:"; cat "$out/bench.log"; exit 1; }
    sleep 0.2
  done
  sleep 4
}

# bench_run_wait: waits for the bench to end and prints its log.
bench_run_wait() {
  wait "$bench_pid"
  bench_pid=
  cat "$out/bench.log"
}
