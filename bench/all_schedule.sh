#!/usr/bin/env bash
# `engine all` on one thread and on every core of this machine: wall-clock seconds of the whole process, whether the
# two runs wrote the same bytes, and the schedule each run measured (schedule.csv: per experiment its wall time, its
# total work in core-seconds and its critical path, the longest chain of work that cannot be split, all in thread CPU
# time; and the whole process's CPU time, as a check on what the trace sees). With no
# many-core machine at hand, the critical path against the total work says what more cores could gain:
# P cores need at least max(critical path, work / P).
#
#   bench/all_schedule.sh            prints a Markdown section on stdout
#   bench/all_schedule.sh --quick    the same for `engine all --quick` (a smoke test of this script)
#
# Run it on a quiet machine; the load average is printed with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
if [[ "${1:-}" == "--quick" ]]; then quick=(--quick); elif [[ $# -gt 0 ]]; then echo "usage: $0 [--quick]" >&2; exit 2; fi
dotnet build src/Cli/Engine.Cli.csproj -c Release -nologo -v quiet > /dev/null
engine=(dotnet src/Cli/bin/Release/net10.0/engine.dll)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=$(nproc)

# seconds COMMAND...: runs COMMAND quietly and prints the wall-clock seconds it took.
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
one=$(seconds "${engine[@]}" all "${quick[@]}" --out "$out/one" --threads 1 --quiet)
all=$(seconds "${engine[@]}" all "${quick[@]}" --out "$out/all" --threads "$cores" --quiet)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Everything but the timings: schedule.csv, the self-check (it times kernels) and the report's lines that quote a
# time or a rate differ by nature; every other file must be the same bytes.
differ=$( (diff -rq -x schedule.csv -x report.md -x selfcheck "$out/one" "$out/all" || true) | wc -l)
untimed() { grep -v -E '/s\b|_Schedule|_Run time|seconds|[0-9] (ms|µs|ns)\b' "$1"; }
report_differ=$(diff <(untimed "$out/one/report.md") <(untimed "$out/all/report.md") | grep -c '^[<>]' || true)

echo "Load average (1, 5, 15 min) $load at the start, $load_end at the end. Wall-clock seconds of whole processes (startup included)."
echo
# fields FILE: a schedule.csv's total work, process CPU, critical path and the experiment on it.
fields() {
  awk -F, 'NR > 1 && $1 != "all" && $1 != "process" && $4 > crit { crit = $4; name = $1 }
    $1 == "all" { work = $3 } $1 == "process" { cpu = $3 } END { print work, cpu, crit, name }' "$1"
}
read -r work1 cpu1 crit1 name1 < <(fields "$out/one/schedule.csv")
read -r workn cpun critn namen < <(fields "$out/all/schedule.csv")
echo "| threads | wall s | total work (core-s) | process CPU s | critical path s | experiment on the critical path |"
echo "| ---: | ---: | ---: | ---: | ---: | --- |"
printf '| 1 | %s | %.1f | %.1f | %.1f | %s |\n' "$one" "$work1" "$cpu1" "$crit1" "$name1"
printf '| %d | %s | %.1f | %.1f | %.1f | %s |\n' "$cores" "$all" "$workn" "$cpun" "$critn" "$namen"
echo
# The bounds come from the one-thread run: there every job ran alone on a core, so nothing it measured shares a core
# (the schedule is timed in thread CPU time, so the run on every core should agree with it: the table shows both).
awk -v crit="$crit1" -v name="$name1" -v work="$work1" -v cores="$cores" -v wall="$all" 'BEGIN { bound = crit > work / 16 ? crit : work / 16
  printf "Bounds from the one-thread run (every job timed alone on a core): no machine takes less than the critical path, %.1f s (%s); 16 cores need at least max(%.1f, %.1f / 16) = %.1f s, %.1fx below the %s s measured here on %d threads.\n",
    crit, name, crit, work, bound, wall / bound, wall, cores }'
echo
if [[ $differ == 0 && $report_differ == 0 ]]; then
  echo "The two runs wrote the same files byte for byte (schedule.csv, the self-check's timings and the report's lines quoting times aside)."
else
  echo "WARNING: $differ file(s) and $report_differ report line(s) differ between 1 and $cores threads."
fi
echo
echo "Per experiment, $cores threads (\`schedule.csv\`):"
echo
echo "| experiment | wall s | work core-s | critical path s | sequential s | parallel calls |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$out/all/schedule.csv"
