"""Loads a checkpoint written by VideoFer (C#) into the PyTorch reference network and runs it.

Usage: /usr/bin/python3 reference/run_checkpoint.py CHECKPOINT IO_FILE OUT_FILE
CHECKPOINT is a torch.save dict {"model": state_dict, "videofer": json}; the network is rebuilt from
the json's config and loaded with strict=True. IO_FILE holds {"input": tensor}; OUT_FILE receives
{"output": tensor}.
"""
import json
import sys

import torch

import videofer_reference as ref


def main():
    ckpt_path, io_path, out_path = sys.argv[1:4]
    ckpt = torch.load(ckpt_path)
    meta = json.loads(ckpt["videofer"])
    cfg = meta["config"]
    args = dict(arch=cfg["arch"], classes=cfg["classes"], lstm_hidden=cfg["lstm_hidden"],
                lstm_layers=cfg["lstm_layers"], fc_hidden=cfg["fc_hidden"], dropout=cfg["dropout"])
    net = ref.ExpressionNet(**args) if meta["kind"] == "clip" else ref.FrameExpressionNet(**args)
    net.load_state_dict(ckpt["model"], strict=True)
    net.eval()
    x = torch.load(io_path)["input"]
    with torch.no_grad():
        y = net(x)
    torch.save({"output": y.contiguous()}, out_path)


if __name__ == "__main__":
    main()
