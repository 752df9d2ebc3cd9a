#!/usr/bin/env bash
# Packs every packable project of Engine.sln (Engine.Kernels and Engine.Experiments) into artifacts/packages, checks
# what the packages hold and that packing again gives the same bytes, then builds and runs samples/Consumer, a
# program outside Engine.sln that restores those packages from that folder alone and checks a gradient and runs
# experiments through them.
#
# Run after the Release build of Engine.sln (.ci/run does). Reports to .ci/run, one line per test:
#   ci-test: passed <name>
#   ci-test: failed <name> (<why>)
# and nothing else on lines that start with "ci-test:". The tests are pack, pack-reproducible and consumer.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

report() { echo "ci-test: $1"; }
report "planned 3"
packages=artifacts/packages
expected=(Engine.Kernels Engine.Experiments)

# Every file in a package carries this time stamp, the commit's, so that packing a commit twice gives the same bytes
# (a CI machine also sets CI=true, which maps source paths to /_/ so the clone's location does not show either).
DeterministicTimestamp=$(git log -1 --pretty=%ct 2>/dev/null || echo 315532800)
export DeterministicTimestamp

# Lists the entries of a .nupkg (a zip) with whatever tool the machine has.
entries() {
  if command -v unzip >/dev/null; then unzip -Z1 "$1"
  else /usr/bin/python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  fi
}

rm -rf "$packages" artifacts/consumer-packages
if ! dotnet pack Engine.sln -c Release --nologo -v quiet; then
  report "failed pack (dotnet pack Engine.sln failed)"
  report "failed pack-reproducible (nothing was packed)"
  report "failed consumer (nothing was packed)"
  exit 0
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/Version.props)
missing=""
for id in "${expected[@]}"; do
  nupkg="$packages/$id.$version.nupkg"
  if [ ! -f "$nupkg" ]; then missing="$missing $id.$version.nupkg"; continue; fi
  listing=$(entries "$nupkg")
  for entry in README.md "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$entry" <<<"$listing" || missing="$missing $id:$entry"
  done
done
ls -l "$packages"
if [ -z "$missing" ]; then report "passed pack"; else report "failed pack (missing:$missing)"; fi

# A second pack of the same build, elsewhere: the bytes must match.
again=$(mktemp -d)
if dotnet pack Engine.sln -c Release --no-build --nologo -v quiet -o "$again" >/dev/null; then
  differ=""
  for nupkg in "$packages"/*.nupkg; do
    cmp -s "$nupkg" "$again/$(basename "$nupkg")" || differ="$differ $(basename "$nupkg")"
  done
  sha256sum "$packages"/*.nupkg
  if [ -z "$differ" ]; then report "passed pack-reproducible"; else report "failed pack-reproducible (bytes differ:$differ)"; fi
else
  report "failed pack-reproducible (the second dotnet pack failed)"
fi
rm -rf "$again"

# The consumer's nuget.config names only artifacts/packages and restores into artifacts/consumer-packages.
if dotnet run --project samples/Consumer -c Release; then
  report "passed consumer"
else
  report "failed consumer (samples/Consumer did not build against the packages, or a check failed: see above)"
fi
exit 0
