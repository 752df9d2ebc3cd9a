#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless with Jupyter's nbconvert and the .NET Interactive C# kernel; a
# notebook passes when every cell runs without an error.
#
#   .ci/notebooks.sh            execute into a temporary folder (the committed notebooks are not touched)
#   .ci/notebooks.sh --update   execute in place, refreshing the outputs committed with the notebooks
#
# Needs the Release build of Engine.sln (the notebooks load its DLLs) and installs what is missing: Debian's
# jupyter-notebook and python3-nbconvert (apt-get, as root or through sudo), the Microsoft.dotnet-interactive tool
# at the version pinned in notebooks/dotnet-tools.json, and its Jupyter kernels. Running it again changes nothing
# that is already there. When something cannot be installed, every notebook is reported failed with the reason.
#
# Reports to .ci/run: first "ci-test: planned <number of notebooks>", then one line per notebook,
#   ci-test: passed notebook <file>
#   ci-test: failed notebook <file> (<why>)
# and nothing else on lines that start with "ci-test:".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

update=false
[ "${1:-}" = "--update" ] && update=true
notebooks=(notebooks/*.ipynb)
python=/usr/bin/python3   # Debian's own Python: the one its nbconvert package is installed for
echo "ci-test: planned ${#notebooks[@]}"

fail_all() {
  echo "notebooks: $1"
  for nb in "${notebooks[@]}"; do echo "ci-test: failed notebook $(basename "$nb") ($1)"; done
  exit 0
}

[ -f src/Experiments/bin/Release/net10.0/Engine.Experiments.dll ] \
  || fail_all "src/Experiments/bin/Release/net10.0/Engine.Experiments.dll is missing: run dotnet build Engine.sln -c Release first"

# Jupyter and nbconvert. Debian's package has no `jupyter nbconvert` wrapper, hence `python3 -m nbconvert` below.
if ! "$python" -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; then
  as_root=""
  [ "$(id -u)" -ne 0 ] && as_root="sudo -n"
  if command -v apt-get >/dev/null && { [ -z "$as_root" ] || sudo -n true 2>/dev/null; }; then
    $as_root apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq jupyter-notebook python3-nbconvert >/dev/null
  fi
  "$python" -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null \
    || fail_all "nbconvert is missing and could not be installed (apt-get install -y jupyter-notebook python3-nbconvert)"
fi

# .NET Interactive as a local tool of notebooks/: the kernel Jupyter starts runs `dotnet interactive` in the
# notebook's folder, where this manifest makes the pinned version the one that answers.
(cd notebooks && dotnet tool restore) >/dev/null \
  || fail_all "dotnet tool restore in notebooks/ failed (Microsoft.dotnet-interactive from NuGet)"
# The kernel installer writes to the user's Jupyter kernel folder and fails when that folder does not exist yet.
mkdir -p "$HOME/.local/share/jupyter/kernels"
(cd notebooks && dotnet interactive jupyter install) >/dev/null \
  || fail_all "dotnet interactive jupyter install failed"
[ -f "$HOME/.local/share/jupyter/kernels/.net-csharp/kernel.json" ] \
  || fail_all "the .NET (C#) Jupyter kernel was not installed in $HOME/.local/share/jupyter/kernels"

out=$(mktemp -d)
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb")
  if $update; then target=(--inplace); else target=(--output-dir "$out"); fi
  start=$(date +%s)
  # A cell may take minutes on a loaded machine (the default limit is 30 s); the kernel's first start restores
  # ScottPlot from NuGet.
  if timeout 900 "$python" -m nbconvert --to notebook --execute "${target[@]}" \
      --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=300 "$nb" >"$out/$name.log" 2>&1; then
    echo "ci-test: passed notebook $name"
    echo "notebooks: $name ran in $(( $(date +%s) - start )) s"
  else
    # The cell that failed, its error and the compiler's messages are near the end of nbconvert's log.
    grep -v -e 'Microsoft.Hosting.Lifetime' -e 'Now listening on' "$out/$name.log" | tail -n 40
    echo "ci-test: failed notebook $name (a cell raised an error, or the kernel did not start: see the log above)"
  fi
done
rm -rf "$out"
exit 0
