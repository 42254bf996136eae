#!/usr/bin/env bash
# Runs every VideoFer test on a Debian 12 machine, installing what is missing first.
# Fast tests first, then the slow end-to-end ones (trait Category=Slow). Prints "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The test projects run side by side on the cores: libtorch's idle OpenMP threads spin briefly, as in the CLI
# (OpenMpWaiting), in every test process, instead of depending on which test loads libtorch first.
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-10000}"
# One libtorch (OpenMP) thread per test process: dotnet test runs two test projects at a time, each two test classes at a
# time, and most of them start CLI processes; with two OpenMP threads each, every parallel region waited for a thread
# the other processes had taken the core from (a slow test took 7-10x its time alone: README "Tests"). The tests of
# thread-dependent faults (the kernel self-check, CBAM's gradients, `info`) set one thread per core themselves.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
dotnet build VideoFer.slnx -c Release --no-restore -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

# The NuGet packages (README "Use as a library"), with the SDK's package validation: a failure fails the run.
echo "== dotnet pack VideoFer.slnx -o out/packages"
dotnet pack VideoFer.slnx -c Release --no-build -nologo -o out/packages -clp:"ErrorsOnly;NoSummary" -v q || status=1
# Benchmarks written as tests (timing and quality comparisons, trait Benchmark) are not part of the suite:
# benchmarks/test-benchmarks.sh runs them, and their figures are in docs/.
for filter in "Category!=Slow&Category!=Benchmark" "Category=Slow"; do
  echo "== dotnet test --filter \"$filter\""
  dotnet test VideoFer.slnx -c Release --no-build --filter "$filter" 2>&1 | tee -a "$log" || status=1
done

# One closing line over all assemblies and both passes.
passed=$(grep -oE "Passed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE "Failed: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE "Skipped: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}')
(( failed > 0 )) && status=1
(( passed == 0 )) && status=1
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
