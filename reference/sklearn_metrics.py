#!/usr/bin/python3
"""Reference metrics from scikit-learn for VideoFer's metric tests.

Usage: /usr/bin/python3 reference/sklearn_metrics.py CASES.json

CASES.json: {"cases": [{"y_true": [...], "y_pred": [...], "classes": 7}, ...]}
Frames whose truth is -1 are dropped first, as the ABAW validation scripts do.
Prints one JSON object per case (a list) with accuracy, macro F1 over the labels
present (sklearn's default) and over all classes, per-class precision, recall
and F1 for all classes, and the confusion matrix. Values are printed with
repr-exact floats so the C# side can compare to 1e-12.
"""
import json
import sys
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score,
                             precision_recall_fscore_support)


def score(case):
    y_true = np.asarray(case["y_true"], dtype=np.int64)
    y_pred = np.asarray(case["y_pred"], dtype=np.int64)
    keep = y_true != -1
    y_true, y_pred = y_true[keep], y_pred[keep]
    labels = list(range(case["classes"]))
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None)
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "f1_present": float(f1_score(y_true, y_pred, average="macro")),
        "f1_all": float(f1_score(y_true, y_pred, labels=labels, average="macro")),
        "precision": [float(x) for x in p],
        "recall": [float(x) for x in r],
        "f1": [float(x) for x in f],
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)["cases"]
    with warnings.catch_warnings():
        # zero_division="warn" (the default) warns and uses 0; the 0 is what we compare.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        results = [score(c) for c in cases]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
