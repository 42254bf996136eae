#!/usr/bin/python3
"""Reference ABAW valence-arousal, action unit and multi-task metrics (numpy + scikit-learn),
written independently of VideoFer's C# metrics for its tests.

Usage: /usr/bin/python3 reference/abaw_metrics.py CASES.json

CASES.json:
  {"va":  [{"truth_v": [...], "truth_a": [...], "pred_v": [...], "pred_a": [...]}, ...],
   "au":  [{"truth": [[1, 0, -1, ...], ...], "pred": [[0, 1, ...], ...]}, ...],
   "mtl": [{"va": {...as above...}, "au": {...}, "expr_truth": [...], "expr_pred": [...]}, ...]}
VA truth outside [-1, 1] (the files' -5) marks an unannotated frame and is dropped from both series.
AU truth -1 marks an unannotated decision and is dropped for that AU (and from the accuracy).
Expression truth -1 is dropped.

Prints {"va": [...], "au": [...], "mtl": [...]}; NaN is printed as null (JSON has no NaN).

CCC follows the organisers' definition with population moments:
  2 * mean((x - mean x)(y - mean y)) / (np.var(x) + np.var(y) + (mean x - mean y)^2)
With numpy, a 0/0 (both series constant and equal, at an exactly representable mean) is nan.
AU F1 is sklearn's binary f1_score (pos_label=1) with zero_division=0 given explicitly: an AU with
no true and no predicted positive scores 0, which is also what the default ("warn") returns.
"""
import json
import math
import sys
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import accuracy_score, f1_score


def ccc(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    mx, my = np.mean(x), np.mean(y)
    cov = np.mean((x - mx) * (y - my))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(2.0 * cov / (np.var(x) + np.var(y) + (mx - my) ** 2))


def va(case):
    tv = np.asarray(case["truth_v"], dtype=np.float64)
    ta = np.asarray(case["truth_a"], dtype=np.float64)
    pv = np.asarray(case["pred_v"], dtype=np.float64)
    pa = np.asarray(case["pred_a"], dtype=np.float64)
    keep = (np.abs(tv) <= 1) & (np.abs(ta) <= 1)
    cv, ca = ccc(tv[keep], pv[keep]), ccc(ta[keep], pa[keep])
    return {"frames": int(keep.sum()), "ccc_v": cv, "ccc_a": ca, "mean": (cv + ca) / 2}


def au(case):
    truth = np.asarray(case["truth"], dtype=np.int64)
    pred = np.asarray(case["pred"], dtype=np.int64)
    f1s = []
    for j in range(truth.shape[1]):
        keep = truth[:, j] != -1
        explicit = float(f1_score(truth[keep, j], pred[keep, j], pos_label=1, average="binary",
                                  labels=[0, 1], zero_division=0))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            default = float(f1_score(truth[keep, j], pred[keep, j]))
        assert explicit == default, (j, explicit, default)  # the organisers called it with the default
        f1s.append(explicit)
    annotated = truth != -1
    acc = float(accuracy_score(truth[annotated], pred[annotated])) if annotated.any() else 0.0
    mean_f1 = float(np.mean(f1s))
    return {"f1": f1s, "mean_f1": mean_f1, "accuracy": acc,
            "score_2020": 0.5 * mean_f1 + 0.5 * acc, "score_2022": mean_f1,
            "frames": int(annotated.any(axis=1).sum())}


def mtl(case):
    v = va(case["va"])
    a = au(case["au"])
    et = np.asarray(case["expr_truth"], dtype=np.int64)
    ep = np.asarray(case["expr_pred"], dtype=np.int64)
    keep = et != -1
    expr_f1 = float(f1_score(et[keep], ep[keep], labels=list(range(8)), average="macro", zero_division=0))
    return {"va": v["mean"], "expr": expr_f1, "au": a["mean_f1"], "total": v["mean"] + expr_f1 + a["mean_f1"]}


def no_nan(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [no_nan(v) for v in value]
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning left means the reference is not what it claims
        result = {"va": [va(c) for c in cases.get("va", [])],
                  "au": [au(c) for c in cases.get("au", [])],
                  "mtl": [mtl(c) for c in cases.get("mtl", [])]}
    json.dump(no_nan(result), sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
