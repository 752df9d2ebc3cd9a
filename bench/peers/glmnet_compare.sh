#!/bin/sh
# The engine against glmnet (R, r-cran-glmnet) and scikit-learn at matched duality gaps, one core each.
# Usage: bench/peers/glmnet_compare.sh [--rounds 3] [--problems wide,tall,diabetes,poly3,digits] [--no-sklearn] [--out FILE.md]
# Needs r-cran-glmnet, python3-numpy, python3-sklearn from apt. See glmnet_compare.py for what is measured.
set -e
cd "$(dirname "$0")/../.."
dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
exec /usr/bin/python3 bench/peers/glmnet_compare.py src/Cli/bin/Release/net10.0/engine "$@"
