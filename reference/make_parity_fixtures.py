"""Writes PyTorch reference weights, inputs and outputs for VideoFer's parity tests.

Usage: /usr/bin/python3 reference/make_parity_fixtures.py OUT_DIR
For each case: OUT_DIR/<case>.pth (state_dict, torch.save) and OUT_DIR/<case>.io.pth ({"input", "output"}).
Also OUT_DIR/parameter_counts.json: trainable parameters of every backbone with a 1000-class fc.
"""
import json
import os
import sys

import torch

import videofer_reference as ref


def save_case(out, name, model, x):
    model.eval()
    io = {"input": x.contiguous()}
    with torch.no_grad():
        io["output"] = model(x).contiguous()
        if hasattr(model, "backbone"):
            # Per-frame backbone features: larger than the logits, so they expose backbone errors plainly.
            io["features"] = model.backbone(x.reshape(-1, *x.shape[-3:])).contiguous()
    y = io["output"]
    torch.save(model.state_dict(), os.path.join(out, name + ".pth"))
    torch.save(io, os.path.join(out, name + ".io.pth"))
    print(f"{name}: input {tuple(x.shape)} -> output {tuple(y.shape)}, |y|max {y.abs().max().item():.3f}")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(20200101)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    g = torch.Generator().manual_seed(7)

    def rand(*shape):
        return torch.randn(*shape, generator=g)

    # Plain torchvision classifiers (the ImageNet-style starting point users load).
    for arch, shape in [("resnet18", (2, 3, 64, 64)), ("resnet50", (2, 3, 96, 80))]:
        m = ref.resnet(arch)
        ref.randomize_batchnorm(m, g)
        save_case(out, arch, m, rand(*shape))

    # ResNet with CBAM in every block.
    for arch, shape in [("resnet18-cbam", (2, 3, 72, 64)), ("resnet50-cbam", (2, 3, 64, 64))]:
        m = ref.resnet(arch)
        ref.randomize_batchnorm(m, g)
        save_case(out, arch, m, rand(*shape))

    # A single CBAM module.
    cbam = ref.CBAM(64)
    ref.randomize_batchnorm(cbam, g)
    save_case(out, "cbam64", cbam, rand(2, 64, 9, 7))

    # The clip models: small one, and the paper's network with VideoFer's default head.
    clip18 = ref.ExpressionNet("resnet18-cbam", classes=7, lstm_hidden=64, fc_hidden=32)
    ref.randomize_batchnorm(clip18, g)
    save_case(out, "clip-resnet18-cbam", clip18, rand(2, 8, 3, 64, 64))

    clip101 = ref.ExpressionNet("resnet101-cbam", classes=7)
    ref.randomize_batchnorm(clip101, g)
    save_case(out, "clip-resnet101-cbam", clip101, rand(1, 8, 3, 64, 64))

    frame18 = ref.FrameExpressionNet("resnet18-cbam", classes=8, fc_hidden=32)
    ref.randomize_batchnorm(frame18, g)
    save_case(out, "frame-resnet18-cbam", frame18, rand(3, 3, 64, 64))

    counts = {}
    for depth in (18, 34, 50, 101, 152):
        for suffix in ("", "-cbam"):
            arch = f"resnet{depth}{suffix}"
            m = ref.resnet(arch)
            counts[arch] = sum(p.numel() for p in m.parameters() if p.requires_grad)
    with open(os.path.join(out, "parameter_counts.json"), "w") as f:
        json.dump(counts, f, indent=1)
    print(json.dumps(counts))
    open(os.path.join(out, "COMPLETE"), "w").write(torch.__version__ + "\n")


if __name__ == "__main__":
    main()
