#!/usr/bin/env bash
# Photo collections (issue 26): `videofer predict FOLDER` on a folder of photos, default settings (face-api+flip,
# people linked across the photos, annotated photo and face thumbnails, corpus page) and with --people off; wall
# time and peak memory (/usr/bin/time), photos/s from predict's own final line. Beside it, @vladmandic/human 3.3.6's
# pipeline in Node (TF.js WebAssembly, one thread a process, two processes for the two cores) on the same photos:
# faces and emotion (--labels), and with the face description (--people, its identity embedding); its rate is
# human.detect's own time per photo (tensor in, result out: no decoding, no output written), so it flatters Human.
#
#   bash benchmarks/photo-collection.sh [PHOTO_FOLDER] [OUT]      (default: ../shared/real-faces/images, out/photos)
set -euo pipefail
cd "$(dirname "$0")/.."
PHOTOS=${1:-../shared/real-faces/images}
OUT=${2:-out/photo-collection}
[[ -d "$PHOTOS" ]] || { echo "photo-collection: $PHOTOS is not a folder" >&2; exit 1; }
mkdir -p "$OUT"
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(uptime)"
n=$(find "$PHOTOS" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.png' \) | wc -l)
echo "$n photos in $PHOTOS"
run() { # name, predict options
  local name=$1; shift
  rm -rf "$OUT/$name"
  /usr/bin/time -f "%e s wall, peak memory %M KB" -o "$OUT/$name.time" ./videofer predict "$PHOTOS" --out "$OUT/$name" "$@" > "$OUT/$name.log"
  echo "videofer $name: $(grep ' done, ' "$OUT/$name.log" | tail -1); $(cat "$OUT/$name.time")"
}
./videofer info > /dev/null  # builds the CLI first, outside the timing
run default
run people-off --people off
if command -v node > /dev/null && [[ -d reference/tfjs/node_modules/@tensorflow/tfjs-backend-wasm ]]; then
  ppm="$OUT/ppm"; mkdir -p "$ppm"
  find "$PHOTOS" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.png' \) | sort | while read -r f; do
    b=$(basename "${f%.*}"); [[ -f "$ppm/$b.ppm" ]] || ffmpeg -nostdin -loglevel error -y -i "$f" -pix_fmt rgb24 "$ppm/$b.ppm"
  done
  find "$ppm" -name '*.ppm' | sort > "$OUT/ppm.list"
  split -n l/2 "$OUT/ppm.list" "$OUT/ppm.part."
  for mode in --labels --people; do
    for part in "$OUT"/ppm.part.a?; do
      xargs -a "$part" node reference/tfjs/human_faces.js $mode > /dev/null 2> "$part$mode.err" &
    done
    wait
    python3 - "$mode" "$OUT"/ppm.part.a?"$mode".err <<'PY'
import re, sys
ms = [float(re.search(r"([\d.]+) ms each", open(p).read()).group(1)) for p in sys.argv[2:]]
print(f"human {sys.argv[1]}: {len(ms)} processes at {', '.join(f'{m:.1f}' for m in ms)} ms a photo: "
      f"{sum(1000 / m for m in ms):.1f} photos/s together")
PY
  done
else
  echo "human: not run (node or reference/tfjs/node_modules missing: scripts/setup.sh --test)"
fi
