#!/usr/bin/env python3
"""Independent reference for VideoFer's multi-task loss (src/VideoFer.Training/Objectives/MultiTaskLoss.cs).

Reads a JSON case from argv[1]: outputs (N x width, the network's outputs: expression logits, valence and
arousal, AU logits side by side), labels (N, -1 = none), va (N x 2, null = none), aus (N x A, -1 = none),
classes, au_count, pos_weight (A or null), weights {expr, va, au}, va_loss ("ccc" or "mse").
Prints JSON {expr, va, au, total}: each task's loss over its labelled rows (null when it has none), with
PyTorch 1.13's functional losses for cross-entropy and BCE and numpy for the CCC (population moments).
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F


def ccc(x, y):
    mx, my = x.mean(), y.mean()
    vx, vy = ((x - mx) ** 2).mean(), ((y - my) ** 2).mean()
    cov = ((x - mx) * (y - my)).mean()
    return 2 * cov / (vx + vy + (mx - my) ** 2)


def main():
    case = json.load(open(sys.argv[1]))
    out = np.array(case["outputs"], dtype=np.float64)
    c, a = case["classes"], case["au_count"]
    w = case["weights"]
    result = {"expr": None, "va": None, "au": None}
    total = 0.0
    col = 0
    if c > 0:
        labels = np.array(case["labels"])
        keep = labels >= 0
        if keep.any():
            loss = F.cross_entropy(torch.tensor(out[keep, col:col + c]), torch.tensor(labels[keep])).item()
            result["expr"] = loss
            total += w["expr"] * loss
        col += c
    if case["va"] is not None:
        va = np.array([[math.nan, math.nan] if r is None else r for r in case["va"]], dtype=np.float64)
        keep = ~np.isnan(va).any(axis=1)
        if keep.sum() >= 2:
            p, t = out[keep, col:col + 2], va[keep]
            if case["va_loss"] == "mse":
                loss = float(((p - t) ** 2).mean())
            else:
                loss = 1 - (ccc(p[:, 0], t[:, 0]) + ccc(p[:, 1], t[:, 1])) / 2
            result["va"] = loss
            total += w["va"] * loss
        col += 2
    if a > 0 and case["aus"] is not None:
        aus = np.array(case["aus"], dtype=np.float64)
        keep = aus >= 0
        if keep.any():
            pos = None if case["pos_weight"] is None else torch.tensor(case["pos_weight"], dtype=torch.float64)
            each = F.binary_cross_entropy_with_logits(torch.tensor(out[:, col:col + a]), torch.tensor(np.clip(aus, 0, 1)),
                                                      pos_weight=pos, reduction="none").numpy()
            loss = float(each[keep].sum() / keep.sum())
            result["au"] = loss
            total += w["au"] * loss
    result["total"] = total
    print(json.dumps(result))


if __name__ == "__main__":
    main()
