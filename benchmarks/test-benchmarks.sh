#!/usr/bin/env bash
# The comparisons written as xunit tests that are benchmarks, not tests (trait Category=Benchmark): timing and
# quality comparisons whose figures are recorded in docs/ (the corpus run against one predict per input,
# docs/PERFORMANCE.md; the choice of the face-identity embedding and its crop, docs/FACES.md). They are outside
# `bash scripts/test.sh`; run them here, after scripts/setup.sh --test, with their logged tables.
#
#   bash benchmarks/test-benchmarks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-10000}"
dotnet build VideoFer.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test VideoFer.slnx -c Release --no-build --filter "Category=Benchmark" --logger "console;verbosity=detailed"
