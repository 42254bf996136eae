#!/usr/bin/env bash
# Runs a sharded `videofer predict` here as a scheduler would: N concurrent processes, each given only
# the environment a Slurm job array task (SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID, _COUNT, _MIN, _MAX)
# or a Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX, plus VIDEOFER_SHARD_COUNT as
# deploy/k8s/ sets it) gets, then `videofer merge`. It tests the templates' logic without a cluster.
#
#   deploy/run-shards-local.sh slurm 3 /data/videos --out /tmp/corpus [other predict options]
#   deploy/run-shards-local.sh k8s 3 'videos/**/*.mp4' --out /tmp/corpus --tiles 0
#
# Each shard's log is <out>.shard-<i>.log. Exits with merge's code: 0 all complete, 4 some inputs
# failed (see <out>/summary.csv), 1 something is missing or wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 3 ]] || { echo "usage: $0 slurm|k8s N INPUT... --out DIR [predict options]" >&2; exit 2; }
kind=$1 n=$2; shift 2
[[ "$kind" == slurm || "$kind" == k8s ]] || { echo "$0: the scheduler is slurm or k8s, not '$kind'" >&2; exit 2; }
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "$0: N must be a positive number, not '$n'" >&2; exit 2; }
out=""
args=("$@")
for ((k = 0; k < ${#args[@]}; k++)); do [[ "${args[k]}" == --out ]] && out=${args[k+1]:-}; done
[[ -n "$out" ]] || { echo "$0: --out DIR is required" >&2; exit 2; }
VIDEOFER=${VIDEOFER:-./videofer}
"$VIDEOFER" info >/dev/null   # builds the CLI once, before N processes would race to build it

pids=()
for ((i = 1; i <= n; i++)); do
  if [[ "$kind" == slurm ]]; then
    env_vars=(SLURM_ARRAY_JOB_ID=$$ SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$n SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=$n)
  else
    env_vars=(JOB_COMPLETION_INDEX=$((i - 1)) VIDEOFER_SHARD_COUNT=$n)
  fi
  # No --shard: the shard comes from the environment, as on the cluster.
  env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u VIDEOFER_SHARD_COUNT "${env_vars[@]}" \
    "$VIDEOFER" predict "${args[@]}" --quiet >"$out.shard-$i.log" 2>&1 &
  pids+=($!)
done
status=0
for ((i = 1; i <= n; i++)); do
  code=0; wait "${pids[i-1]}" || code=$?
  echo "shard $i/$n: exit $code ($(tail -n 1 "$out.shard-$i.log"))"
  (( code == 0 || code == 4 )) || status=1
done
(( status == 0 )) || { echo "$0: a shard failed; see $out.shard-*.log" >&2; exit 1; }
exec "$VIDEOFER" merge "$out"
