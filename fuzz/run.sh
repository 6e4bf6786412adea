#!/usr/bin/env bash
# Coverage-guided fuzzing of SmartChain's decoders with SharpFuzz + AFL++ (docs/fuzzing.md).
#   fuzz/run.sh [SECONDS] [TARGET...]     each target (default: all) for SECONDS (default 60), one after another
# Installs afl++ and the sharpfuzz tool if missing, publishes fuzz/SmartChain.Fuzz, instruments the SmartChain
# assemblies, then runs afl-fuzz under nice and prints executions, coverage and crashes per target.
# Findings go to fuzz/out/TARGET (ignored by git); pin every crash as an xunit test and fix it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
out="$root/fuzz/out"

if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && apt-get install -y -qq afl++
fi
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null; then
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
fi

rm -rf "$out/bin"
dotnet publish "$root/fuzz/SmartChain.Fuzz" -c Release -o "$out/bin" --nologo -v quiet
for dll in "$out"/bin/SmartChain.*.dll; do
  [[ "$(basename "$dll")" == SmartChain.Fuzz.dll ]] && continue
  sharpfuzz "$dll" >/dev/null
done

if [[ $# -eq 0 ]]; then
  mapfile -t targets < <(dotnet "$out/bin/SmartChain.Fuzz.dll" list | awk '{print $1}')
else
  targets=("$@")
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
stat() { grep -E "^$1 " "$2" | sed 's/.*: //'; }
printf '%-16s %10s %8s %6s %8s %7s %8s\n' target execs "exec/s" edges coverage paths crashes
for t in "${targets[@]}"; do
  rm -rf "${out:?}/$t"
  # -V: stop after SECONDS; -t: per-input timeout in ms; -m none: the .NET runtime needs more than AFL's default memory limit.
  nice -n 10 afl-fuzz -V "$seconds" -i "$root/fuzz/corpus/$t" -o "$out/$t" -t 5000 -m none \
    -- dotnet "$out/bin/SmartChain.Fuzz.dll" run "$t" >"$out/$t.log" 2>&1 || true
  s="$out/$t/default/fuzzer_stats"
  if [[ ! -f "$s" ]]; then
    printf '%-16s did not start; see %s\n' "$t" "$out/$t.log"
    continue
  fi
  printf '%-16s %10s %8s %6s %8s %7s %8s\n' "$t" "$(stat execs_done "$s")" "$(stat execs_per_sec "$s")" "$(stat edges_found "$s")" "$(stat bitmap_cvg "$s")" \
    "$(stat corpus_count "$s")" "$(stat saved_crashes "$s")"
done
echo "crash inputs: fuzz/out/TARGET/default/crashes/ (replay: dotnet fuzz/out/bin/SmartChain.Fuzz.dll replay TARGET FILE)"
