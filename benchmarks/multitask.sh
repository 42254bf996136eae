#!/usr/bin/env bash
# Single-task against multi-task training on synthetic data with all three ABAW labels (docs/RESULTS.md, "Three tasks").
# Usage: bash benchmarks/multitask.sh [OUT]   (default out/multitask; refuses an OUT that is not its own)
# Writes OUT/results.md: per run the tasks, the validation figures at the end, wall and CPU minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/multitask}"
iterations="${ITERATIONS:-300}"
if [[ -e "$out" && ! -f "$out/.multitask" ]]; then
  echo "multitask.sh: $out exists and was not made by this script; choose another folder" >&2; exit 2
fi
mkdir -p "$out" && touch "$out/.multitask"
rm -rf "$out/synth" "$out"/run-*
./videofer data synth --out "$out/synth" --videos 100 --frames-min 60 --frames-max 100 --size 64 --affectnet-images 0 \
  --edition 2021 --seed 5 >/dev/null
printf '| tasks | iterations | expr S | expr F1 | VA CCC (v / a / mean) | AU mean F1 | AU score (2021) | wall min | CPU min |\n|---|---|---|---|---|---|---|---|---|\n' > "$out/results.md"
for tasks in expr va au expr,va,au; do
  run="$out/run-${tasks//,/-}"
  /usr/bin/time -f "%e %U %S" -o "$out/time.txt" ./videofer train --out "$run" --affwild2 "$out/synth" \
    --set arch=resnet18-cbam --set input_size=64 --set base_size=72 --set fc_hidden=32 --set optimizer=adam --set lr=0.001 \
    --set batch_size=8 --set iterations="$iterations" --set checkpoint_every="$iterations" --set workers=1 --set threads=2 \
    --set seed=2 --set tasks="$tasks" >/dev/null
  read -r wall user sys < "$out/time.txt"
  python3 - "$run" "$tasks" "$iterations" "$wall" "$user" "$sys" >> "$out/results.md" <<'PY'
import csv, os, sys
run, tasks, iterations, wall, user, sys_ = sys.argv[1:]
def last(name):
    path = os.path.join(run, name)
    return list(csv.DictReader(open(path)))[-1] if os.path.exists(path) else None
e = last("validation.csv") if "expr" in tasks else None
t = last("validation_tasks.csv")
f = lambda row, key: "-" if row is None or row[key] in ("", "NaN") else f"{float(row[key]):.3f}"
va = "-" if t is None or "va" not in tasks else f"{f(t,'va_ccc_valence')} / {f(t,'va_ccc_arousal')} / {f(t,'va_ccc')}"
au_f1 = f(t, "au_f1") if t is not None and "au" in tasks else "-"
au_score = f(t, "au_score") if t is not None and "au" in tasks else "-"
print(f"| {tasks} | {iterations} | {f(e,'s')} | {f(e,'f1')} | {va} | {au_f1} | {au_score} | {float(wall)/60:.1f} | {(float(user)+float(sys_))/60:.1f} |")
PY
done
cat "$out/results.md"
