#!/usr/bin/python3
"""Reference calibration figures (numpy) for VideoFer's calibration tests.

Usage: /usr/bin/python3 reference/calibration.py CASE.json
CASE.json: {"probabilities": [[...], ...], "truth": [...], "bins": 10, "temperatures": [...]}
Prints {"ece": x, "bins": [{"count", "confidence", "accuracy"}], "nll": [nll at each temperature], "best_grid_temperature": T}
with equal-width confidence bins (the last closed), as Guo et al. (2017) define the expected calibration error.
"""
import json
import sys

import numpy as np

case = json.load(open(sys.argv[1]))
p = np.asarray(case["probabilities"], dtype=np.float64)
y = np.asarray(case["truth"], dtype=np.int64)
nbins = case["bins"]
conf = p.max(axis=1)
pred = p.argmax(axis=1)
idx = np.minimum((conf * nbins).astype(np.int64), nbins - 1)
bins, ece = [], 0.0
for b in range(nbins):
    m = idx == b
    n = int(m.sum())
    if n == 0:
        bins.append({"count": 0, "confidence": None, "accuracy": None})
        continue
    c, a = float(conf[m].mean()), float((pred[m] == y[m]).mean())
    bins.append({"count": n, "confidence": c, "accuracy": a})
    ece += n / len(y) * abs(a - c)


def nll(t):
    z = np.log(np.maximum(p, 1e-12)) / t
    z = z - z.max(axis=1, keepdims=True)
    logsum = np.log(np.exp(z).sum(axis=1))
    return float(np.mean(logsum - z[np.arange(len(y)), y]))


grid = np.exp(np.linspace(np.log(0.05), np.log(20), 4001))
values = [nll(t) for t in grid]
print(json.dumps({"ece": ece, "bins": bins, "nll": [nll(t) for t in case["temperatures"]],
                  "best_grid_temperature": float(grid[int(np.argmin(values))]), "best_grid_nll": float(min(values))}))
