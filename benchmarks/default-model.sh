#!/usr/bin/env bash
# The default model chosen by measurement (issue 25; docs/DEFAULT_MODEL.md): every per-frame candidate, averages of
# them, mirrored-face averaging and the face square's margin, scored by `videofer eval --images` on real labelled
# face photos (default: ../shared/real-faces, which a fresh clone lacks), default detection settings, pictures without
# a face counted as wrong. Prints one Markdown table row per candidate and writes each run's metrics.json.
#
#   bash benchmarks/default-model.sh [LABELLED_IMAGES] [OUT_DIR]
#
# Then the calibration of the winner: a temperature fitted on identity half 1, checked on half 2.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGES=${1:-../shared/real-faces}
OUT=${2:-out/default-model}
[[ -e "$IMAGES" ]] || { echo "default-model: $IMAGES not found (labelled face photos: a CSV of image,label or class folders)" >&2; exit 1; }
mkdir -p "$OUT"
VF=./videofer
grep -m1 "model name" /proc/cpuinfo
uptime
row() { # name, then eval options
  local name=$1; shift
  local dir="$OUT/$(echo "$name" | tr ' +=;' '____')"
  rm -rf "$dir"
  $VF eval --images "$IMAGES" "$@" --out "$dir" --json > "$dir.json"
  python3 - "$name" "$dir.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
f1 = {c["class"]: c["f1"] for c in d["per_class"]}
print(f'| {sys.argv[1]} | {d["images"]} | {100*d["detection_rate"]:.1f}% | {d["accuracy"]:.4f} | {d["f1"]:.4f} | **{d["s"]:.4f}** | '
      f'{f1["Disgust"]:.3f} | {f1["Fear"]:.3f} | {d["ece"]:.3f} | {d["images_per_second"]:.1f} |')
PY
}
echo "| model | photos | face found | Acc | macro F1 | S | F1 Disgust | F1 Fear | ECE | photos/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row "human" --model human
row "human+flip" --model human+flip
row "faceapi" --model faceapi
row "faceapi+flip" --model faceapi+flip
row "faceapi+human" --model faceapi+human
row "faceapi+human+flip" --model faceapi+human+flip
for m in 1.2 1.3 1.5 1.6; do row "faceapi+flip, margin $m" --model faceapi+flip --margin "$m"; done
row "faceapi+flip, --faces whole" --model faceapi+flip --faces whole

echo
echo "Calibration of faceapi+flip: temperature fitted (least log-loss) on identity half 1, checked on half 2"
rm -rf "$OUT/fit" "$OUT/half2-T1" "$OUT/half2-calibrated"
$VF eval --images "$IMAGES" --model faceapi+flip --temperature 1 --half 1 --fit-temperature --out "$OUT/fit" --json > "$OUT/fit.json"
T=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["fitted_temperature"], 2))' "$OUT/fit.json")
$VF eval --images "$IMAGES" --model faceapi+flip --temperature 1 --half 2 --out "$OUT/half2-T1" --json > "$OUT/half2-T1.json"
$VF eval --images "$IMAGES" --model faceapi+flip --temperature "$T" --half 2 --out "$OUT/half2-calibrated" --json > "$OUT/half2-calibrated.json"
python3 - "$OUT" "$T" <<'PY'
import json, sys
out, t = sys.argv[1], sys.argv[2]
fit = json.load(open(f"{out}/fit.json"))
print(f"half 1 ({fit['images']} photos): fitted T = {fit['fitted_temperature']:.3f}; ECE {fit['ece']:.3f} -> {fit['ece_at_fitted_temperature']:.3f}, "
      f"NLL {fit['nll']:.3f} -> {fit['nll_at_fitted_temperature']:.3f}")
a, b = (json.load(open(f"{out}/{n}.json")) for n in ("half2-T1", "half2-calibrated"))
print(f"half 2 ({a['images']} photos): T = 1: ECE {a['ece']:.3f}, NLL {a['nll']:.3f}; T = {t}: ECE {b['ece']:.3f}, NLL {b['nll']:.3f} "
      f"(Acc {b['accuracy']:.4f}, F1 {b['f1']:.4f} either way)")
PY
