#!/usr/bin/env bash
# Homework 2, problem 2 (c) then (d) end to end, the engine against PyTorch (one thread), on this machine:
# 4 x 20 epochs at r = 120, then 4 x 200 epochs at r = 60, 120, 240, 480 (8.8 million samples).
#
#   bench/peers/overparam_compare.sh            full protocol for both (PyTorch takes several minutes)
#   bench/peers/overparam_compare.sh --quick    PyTorch runs 10% of every run's epochs and its time is
#                                               extrapolated to the full protocol (the engine always runs in full)
#
# The engine is timed as a whole process (`engine width-sweep`, Release build, startup included), with all cores
# (its default --threads) and with --threads 1, five times each, alternating, each time followed by one --threads 1
# process per core at once (only their CPU seconds are reported); PyTorch three times (its own clock, from
# the first step to the last). The ratio uses the medians: on a shared virtual machine one run can be 15 % slower than
# the next, and PyTorch's time has varied by 5 % from one run to another. The runs on all cores are also split by the
# latency between CPUs 0 and 1 just before and after each (bench/peers/core_latency.c, built with gcc; skipped without
# it). Needs /usr/bin/python3 with torch (Debian: python3-torch).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
FRACTION=1
if [[ "${1:-}" == "--quick" ]]; then FRACTION=0.1; elif [[ $# -gt 0 ]]; then echo "usage: $0 [--quick]" >&2; exit 2; fi

dotnet build src/Cli/Engine.Cli.csproj -c Release -nologo -v quiet > /dev/null
ENGINE=(dotnet src/Cli/bin/Release/net10.0/engine.dll)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# The one-way latency between CPUs 0 and 1 (bench/peers/core_latency.c), before and after every run on all cores: on a
# virtual machine the host may place the two virtual CPUs on cores that share a cache or on different dies, and may
# move them between runs, which changes what every batch costs to pass from one thread to the other.
LATENCY=""
if command -v gcc > /dev/null && gcc -O2 -pthread -o "$OUT/core_latency" bench/peers/core_latency.c 2> /dev/null; then LATENCY="$OUT/core_latency"; fi
latency() { if [[ -n "$LATENCY" ]]; then "$LATENCY" 0 1; else echo "-"; fi; }

# seconds FILE COMMAND...: runs COMMAND with its stdout in FILE (its stderr in FILE.err) and appends the wall-clock
# seconds it took to the array wall, and its CPU seconds (user and system, all its threads) to the array cpu.
seconds() {
  local file=$1 times w u s TIMEFORMAT='%R %U %S'; shift
  times=$({ time "$@" > "$file" 2> "$file.err"; } 2>&1) || { cat "$file.err" >&2; exit 1; }
  read -r w u s <<< "$times"
  wall+=("$(awk -v w="$w" 'BEGIN { printf "%.2f", w }')"); cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
}

# apart: one 1-thread width-sweep per CPU, each pinned to its own, all at once, and appends the CPU seconds of each to
# the array apart_cpu: every core busy, as with all threads in one process, but nothing shared between the cores.
apart() {
  local c pids=()
  for ((c = 0; c < $(nproc); c++)); do
    ( TIMEFORMAT='%U %S'; { time taskset -c "$c" "${ENGINE[@]}" width-sweep --out "$OUT/apart-$c" --quiet --threads 1 \
        > /dev/null 2> "$OUT/apart-$c.err"; } 2> "$OUT/apart-$c.time" ) &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$OUT"/apart-*.err >&2; exit 1; }; done
  for ((c = 0; c < $(nproc); c++)); do apart_cpu+=("$(awk '{ printf "%.2f", $1 + $2 }' "$OUT/apart-$c.time")"); done
}

# median A B C ...: the middle of an odd count of numbers (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
all_runs=() one_runs=() all_cpu=() one_cpu=() apart_cpu=() lat_before=() lat_after=()
for run in 1 2 3 4 5; do
  rm -rf "$OUT/all" "$OUT/one" "$OUT"/apart-*
  wall=() cpu=()
  lat_before+=("$(latency)")
  seconds "$OUT/engine-all.txt" "${ENGINE[@]}" width-sweep --out "$OUT/all" --quiet
  lat_after+=("$(latency)")
  seconds "$OUT/engine-one.txt" "${ENGINE[@]}" width-sweep --out "$OUT/one" --quiet --threads 1
  all_runs+=("${wall[0]}") one_runs+=("${wall[1]}") all_cpu+=("${cpu[0]}") one_cpu+=("${cpu[1]}")
  apart
done
engine_all=$(median "${all_runs[@]}")
engine_one=$(median "${one_runs[@]}")
echo "== engine width-sweep (all $(nproc) cores)"
cat "$OUT/engine-all.txt"
echo "== engine width-sweep --threads 1"
if cmp -s "$OUT/all/overparam/width-sweep.csv" "$OUT/one/overparam/width-sweep.csv"; then
  echo "(same curves as with all cores, byte for byte)"
else
  echo "WARNING: the curves differ between thread counts"
fi
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), one thread, epoch fraction $FRACTION (the first of three runs)"
torch_runs=()
for run in 1 2 3; do
  /usr/bin/python3 bench/peers/overparam_torch.py --epoch-fraction "$FRACTION" > "$OUT/torch-$run.txt"
  torch_runs+=("$(awk '/^TOTAL_SECONDS/ { print $2 }' "$OUT/torch-$run.txt")")
done
cat "$OUT/torch-1.txt"
torch=$(median "${torch_runs[@]}")
echo
printf '%-22s %9.2f s  (median of %s, %s, %s, %s, %s)\n' "engine ($(nproc) threads):" "$engine_all" "${all_runs[@]}" "engine (1 thread):" "$engine_one" "${one_runs[@]}"
# The same work three ways. CPU seconds of the one-thread processes side by side above those of one alone are the
# machine running slower with every core busy; those of all threads in one process above the side by side ones are
# what the threads of one process cost each other.
printf '%-22s %9.2f s  (median of %s, %s, %s, %s, %s)\n' "engine CPU ($(nproc) threads):" "$(median "${all_cpu[@]}")" "${all_cpu[@]}" "engine CPU (1 thread):" "$(median "${one_cpu[@]}")" "${one_cpu[@]}"
echo "engine CPU, $(nproc) one-thread processes at once, one per core: $(median "${apart_cpu[@]}") s (median of ${apart_cpu[*]})"
if [[ "$FRACTION" == 1 ]]; then printf '%-22s %9.2f s  (median of %s, %s, %s)\n' "PyTorch (1 thread):" "$torch" "${torch_runs[@]}"
else printf '%-22s %9.2f s  (median of %s, %s, %s; EXTRAPOLATED from %s of every run)\n' "PyTorch (1 thread):" "$torch" "${torch_runs[@]}" "$FRACTION"; fi
awk -v t="$torch" -v a="$engine_all" -v o="$engine_one" -v n="$(nproc)" \
  'BEGIN { printf "ratio PyTorch / engine: %.1fx (engine %d threads), %.1fx (engine 1 thread)\n", t / a, n, t / o }'
# The runs on all cores by where the host had put CPUs 0 and 1: sharing a cache (both probes under 80 ns, as cores of
# one complex measure here) or not (both at 80 ns or more); a run whose probes disagree was moved while it ran.
if [[ -n "$LATENCY" ]]; then
  near=() far=() moved=() pairs=()
  for i in "${!all_runs[@]}"; do
    pairs+=("${all_runs[$i]} s at ${lat_before[$i]}/${lat_after[$i]} ns")
    case "$(awk -v a="${lat_before[$i]}" -v b="${lat_after[$i]}" 'BEGIN { print (a < 80 && b < 80) ? "near" : (a >= 80 && b >= 80) ? "far" : "moved" }')" in
      near) near+=("${all_runs[$i]}") ;; far) far+=("${all_runs[$i]}") ;; *) moved+=("${all_runs[$i]}") ;;
    esac
  done
  echo "core-to-core latency of CPUs 0 and 1 (one way) before/after each $(nproc)-thread run: $(IFS=,; echo "${pairs[*]}" | sed 's/,/, /g')"
  for kind in near far; do
    declare -n runs_of=$kind
    label=$([[ $kind == near ]] && echo "sharing a cache (< 80 ns)" || echo "on different dies (>= 80 ns)")
    if [[ ${#runs_of[@]} -gt 0 ]]; then
      m=$(median "${runs_of[@]}")
      awk -v t="$torch" -v m="$m" -v k="${#runs_of[@]}" -v l="$label" -v n="$(nproc)" \
        'BEGIN { printf "engine (%d threads), CPUs 0 and 1 %s: %.2f s (median of %d), ratio %.1fx\n", n, l, m, k, t / m }'
    else
      echo "engine ($(nproc) threads), CPUs 0 and 1 $label: no run"
    fi
  done
  n_moved=${#moved[@]}
  echo "engine ($(nproc) threads), moved while running: $n_moved $([[ $n_moved == 1 ]] && echo run || echo runs)"
else
  echo "core-to-core latency not measured (no gcc)"
fi
