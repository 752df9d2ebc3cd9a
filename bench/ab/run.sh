#!/usr/bin/env bash
# A/B timings of the kernels in one process against another commit of the engine (default: the previous one):
#   [AB_PGO=1] bench/ab/run.sh [BASE_REF] [FILTER] [ROUNDS]
# The baseline is checked out into a temporary worktree, its kernel assembly renamed Engine.Kernels.Baseline so both
# load side by side; every kernel is timed before and after, interleaved, ROUNDS times, in thread CPU time (a shared
# machine's descheduled time does not count), and the medians are printed as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-HEAD~1}
tree=$(mktemp -d)/baseline
git worktree add --detach "$tree" "$base" >/dev/null
trap 'git worktree remove --force "$tree"' EXIT
sed -i 's|<AssemblyName>Engine.Kernels</AssemblyName>|<AssemblyName>Engine.Kernels.Baseline</AssemblyName>|' "$tree/src/Kernels/Engine.Kernels.csproj"
sed -i 's|<InternalsVisibleTo Include="Engine.Bench" />|<InternalsVisibleTo Include="Engine.Bench" /><InternalsVisibleTo Include="AbBench" />|' "$tree/src/Kernels/Engine.Kernels.csproj"
dotnet build bench/ab/AbBench.csproj -c Release -p:BaselineKernels="$tree/src/Kernels/Engine.Kernels.csproj" --nologo -v quiet
# Without dynamic PGO: with it, the baseline build's small products were at times compiled 4x to 5x slower than in
# other runs (029bf41's dH = E U at r = 480: 5.5 us against 1.1 us without PGO, on 2026-11-29), which made the ratios
# meaningless. The kernels' register tiles are compiled fully optimized on their first call either way.
# AB_PGO=1 runs with it, as the engine runs: df0c862 (skipping alpha = 1) measured neutral here without PGO but made
# U += E^T H and V += X^T dZ 14-23 % slower with it (reverted), so check a kernel change both ways.
env DOTNET_TieredPGO=${AB_PGO:-0} dotnet bench/ab/bin/Release/net10.0/AbBench.dll "${2:-}" "${3:-15}"
