#!/usr/bin/env bash
# The main job on an embedded default, from a fresh clone: installs what is missing, builds, runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec ./videofer demo "$@"
