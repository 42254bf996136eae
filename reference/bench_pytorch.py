"""PyTorch side of `videofer bench`: the same network, weights and inputs, timed in PyTorch eager.

Usage: /usr/bin/python3 reference/bench_pytorch.py CHECKPOINT INPUTS OUT --threads N [--warmup W]
       [--repeats R] [--train-repeats T]

CHECKPOINT: a VideoFer clip checkpoint ({"model": state_dict, "videofer": json}), loaded strictly into
the reference network (videofer_reference.py). INPUTS: {"infer_<k>": (B, T, 3, H, W) tensors,
"train_input": ..., "train_labels": (B, T) int64}. Writes {"infer_<k>": logits} to OUT and prints
one JSON object with the seconds of every repeat. Inference runs in eval mode under
torch.inference_mode(); the training step is zero_grad, forward, cross-entropy, backward and
torch.optim.SGD(lr=1e-4, momentum=0.9), as in the paper.
"""
import argparse
import json
import time

import torch

import videofer_reference as ref


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def build(checkpoint):
    ckpt = torch.load(checkpoint)
    cfg = json.loads(ckpt["videofer"])["config"]
    net = ref.ExpressionNet(arch=cfg["arch"], classes=cfg["classes"], lstm_hidden=cfg["lstm_hidden"],
                            lstm_layers=cfg["lstm_layers"], fc_hidden=cfg["fc_hidden"], dropout=cfg["dropout"])
    net.load_state_dict(ckpt["model"], strict=True)
    return net, cfg["classes"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("checkpoint")
    p.add_argument("inputs")
    p.add_argument("out")
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--train-repeats", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    inputs = torch.load(a.inputs)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "inference": {}}

    net, classes = build(a.checkpoint)
    net.eval()
    outputs = {}
    for key in sorted(k for k in inputs if k.startswith("infer_")):
        x = inputs[key]
        with torch.inference_mode():
            outputs[key] = net(x).clone()
            result["inference"][key] = timed(lambda: net(x), a.warmup, a.repeats)
    torch.save(outputs, a.out)

    if "train_input" in inputs and a.train_repeats > 0:
        net, classes = build(a.checkpoint)  # fresh weights: the same start as VideoFer's step
        net.train()
        optimizer = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9)
        x, labels = inputs["train_input"], inputs["train_labels"]

        def step():
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x).reshape(-1, classes), labels.reshape(-1))
            loss.backward()
            optimizer.step()

        result["train_step"] = timed(step, a.warmup, a.train_repeats)

    n = 2048
    m1, m2 = torch.randn(n, n), torch.randn(n, n)
    result["matmul_gflops"] = 2 * n ** 3 / min(timed(lambda: m1 @ m2, 1, 3)) / 1e9
    print(json.dumps(result))


if __name__ == "__main__":
    main()
