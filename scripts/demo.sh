#!/usr/bin/env bash
# The main job on the embedded default, from a fresh clone: installs what is missing, builds, and
# runs `videofer predict` on OpenCV's sample clip Megamind.avi (from Debian's opencv-doc).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/fetch-test-media.sh
exec ./videofer predict tests/fixtures/media/Megamind.avi --out out/demo "$@"
