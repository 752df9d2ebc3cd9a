#!/usr/bin/env bash
# Homework 2, problem 2 (c) then (d) end to end, the engine against PyTorch (one thread), on this machine:
# 4 x 20 epochs at r = 120, then 4 x 200 epochs at r = 60, 120, 240, 480 (8.8 million samples).
#
#   bench/peers/overparam_compare.sh            full protocol for both (PyTorch takes several minutes)
#   bench/peers/overparam_compare.sh --quick    PyTorch runs 10% of every run's epochs and its time is
#                                               extrapolated to the full protocol (the engine always runs in full)
#
# The engine is timed as a whole process (`engine width-sweep`, Release build, startup included), with all cores
# (its default --threads) and with --threads 1. Needs /usr/bin/python3 with torch (Debian: python3-torch).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
FRACTION=1
if [[ "${1:-}" == "--quick" ]]; then FRACTION=0.1; elif [[ $# -gt 0 ]]; then echo "usage: $0 [--quick]" >&2; exit 2; fi

dotnet build src/Experiments/Engine.Experiments.csproj -c Release -nologo -v quiet > /dev/null
ENGINE=(dotnet src/Experiments/bin/Release/net10.0/engine.dll)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

seconds() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'; }

echo "== engine width-sweep (all $(nproc) cores)"
engine_all=$(seconds "${ENGINE[@]}" width-sweep --out "$OUT/all" --quiet > "$OUT/engine-all.txt"; cat "$OUT/engine-all.txt" >&2)
echo "== engine width-sweep --threads 1"
engine_one=$(seconds "${ENGINE[@]}" width-sweep --out "$OUT/one" --quiet --threads 1 > "$OUT/engine-one.txt")
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), one thread, epoch fraction $FRACTION"
/usr/bin/python3 bench/peers/overparam_torch.py --epoch-fraction "$FRACTION" | tee "$OUT/torch.txt"
torch=$(awk '/^TOTAL_SECONDS/ { print $2 }' "$OUT/torch.txt")

echo
printf 'engine (%s threads): %8.2f s\n' "$(nproc)" "$engine_all"
printf 'engine (1 thread):   %8.2f s\n' "$engine_one"
if [[ "$FRACTION" == 1 ]]; then printf 'PyTorch (1 thread):  %8.2f s\n' "$torch"
else printf 'PyTorch (1 thread):  %8.2f s  (EXTRAPOLATED from %s of every run)\n' "$torch" "$FRACTION"; fi
awk -v t="$torch" -v a="$engine_all" -v o="$engine_one" -v n="$(nproc)" \
  'BEGIN { printf "ratio PyTorch / engine: %.1fx (engine %d threads), %.1fx (engine 1 thread)\n", t / a, n, t / o }'
