#!/usr/bin/env bash
# HW2 2(e): reruns in PyTorch the settings that `engine livni-bonus` says reproduce Livni et al.'s pattern, with the
# hyperparameters of its settings.csv and seeds of PyTorch's own, and reports whether the pattern holds there too.
#
#   bench/peers/livni_torch.sh [RESULTS]               RESULTS: the folder with livni-bonus/settings.csv (default
#                                                      results; run `engine livni-bonus` first)
#   bench/peers/livni_torch.sh RESULTS --seeds 5 ...   further options go to livni_torch.py (--settings, --epochs, ...)
#
# Needs /usr/bin/python3 with torch (Debian: python3-torch). It takes minutes: one setting, 3 seeds and 200 epochs
# train 2.4 million steps of four widths in PyTorch.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RESULTS=${1:-results}
shift || true
SETTINGS="$RESULTS/livni-bonus/settings.csv"
if [[ ! -f "$SETTINGS" ]]; then
  echo "no $SETTINGS: run 'dotnet run --project src/Cli -c Release -- livni-bonus --out $RESULTS' first" >&2
  exit 2
fi
exec /usr/bin/python3 "$ROOT/bench/peers/livni_torch.py" "$SETTINGS" "$@"
