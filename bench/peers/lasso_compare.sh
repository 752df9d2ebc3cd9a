#!/bin/sh
# Builds the engine and runs the scikit-learn / numpy comparison (needs python3-sklearn and python3-numpy from apt).
set -e
cd "$(dirname "$0")/../.."
dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 exec /usr/bin/python3 bench/peers/lasso_compare.py src/Cli/bin/Release/net10.0/engine "$@"
