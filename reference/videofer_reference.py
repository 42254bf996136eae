"""Independent PyTorch definitions of VideoFer's networks, used only to check the C# implementation.

Written from the paper (Liu et al., ABAW 2020, section III) and the CBAM description (Woo et al., 2018):
- CBAM channel gate: one MLP (C -> C/16 -> C, biases, ReLU between) applied to the global average-
  and max-pooled features, outputs summed, sigmoid.
- CBAM spatial gate: concat[max over channels, mean over channels] -> 7x7 conv (padding 3, no bias)
  -> BatchNorm2d(1) -> sigmoid.
- CBAM sits on the residual branch after its last BN, before the shortcut is added, in every block.
- Clip model: ResNet features per frame -> bidirectional LSTM -> FC -> ReLU -> dropout -> FC.
The backbone is torchvision's resnet; CBAM is added by wrapping its blocks' forward.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class ChannelGate(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(channels, hidden), nn.ReLU(), nn.Linear(hidden, channels))

    def forward(self, x):
        n, c, h, w = x.shape
        avg = self.mlp(F.avg_pool2d(x, (h, w)))
        mx = self.mlp(F.max_pool2d(x, (h, w)))
        return x * torch.sigmoid(avg + mx).view(n, c, 1, 1)


class ConvBN(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=(k - 1) // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.01)

    def forward(self, x):
        return self.bn(self.conv(x))


class SpatialGate(nn.Module):
    def __init__(self):
        super().__init__()
        self.spatial = ConvBN(2, 1, 7)

    def forward(self, x):
        pooled = torch.cat([x.max(dim=1, keepdim=True)[0], x.mean(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.spatial(pooled))


class CBAM(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.ChannelGate = ChannelGate(channels)
        self.SpatialGate = SpatialGate()

    def forward(self, x):
        return self.SpatialGate(self.ChannelGate(x))


def _basic_forward(self, x):
    out = self.relu(self.bn1(self.conv1(x)))
    out = self.bn2(self.conv2(out))
    out = self.cbam(out)
    identity = x if self.downsample is None else self.downsample(x)
    return self.relu(out + identity)


def _bottleneck_forward(self, x):
    out = self.relu(self.bn1(self.conv1(x)))
    out = self.relu(self.bn2(self.conv2(out)))
    out = self.bn3(self.conv3(out))
    out = self.cbam(out)
    identity = x if self.downsample is None else self.downsample(x)
    return self.relu(out + identity)


def _features(self, x):
    x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
    x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
    return torch.flatten(self.avgpool(x), 1)


def resnet(arch, num_classes=1000):
    """torchvision resnet by name ("resnet50", "resnet101-cbam", ...)."""
    cbam = arch.endswith("-cbam")
    base = arch[:-5] if cbam else arch
    model = getattr(torchvision.models, base)(weights=None, num_classes=num_classes)
    if cbam:
        for stage in (model.layer1, model.layer2, model.layer3, model.layer4):
            for block in stage:
                last_bn = block.bn3 if hasattr(block, "bn3") else block.bn2
                block.cbam = CBAM(last_bn.num_features)
                fwd = _bottleneck_forward if hasattr(block, "bn3") else _basic_forward
                block.forward = fwd.__get__(block)
    if num_classes == 0:
        model.fc = None
        model.forward = _features.__get__(model)
    return model


def feature_dim(arch):
    depth = int(arch.replace("-cbam", "").replace("resnet", ""))
    return 512 if depth < 50 else 2048


def classifier(cin, hidden, classes, dropout):
    return nn.Sequential(nn.Linear(cin, hidden), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, classes))


class ExpressionNet(nn.Module):
    """Clip model: (batch, time, 3, H, W) -> (batch, time, classes)."""

    def __init__(self, arch="resnet101-cbam", classes=7, lstm_hidden=512, lstm_layers=1, fc_hidden=256, dropout=0.5):
        super().__init__()
        self.backbone = resnet(arch, num_classes=0)
        self.temporal = nn.LSTM(feature_dim(arch), lstm_hidden, num_layers=lstm_layers, batch_first=True, bidirectional=True)
        self.classifier = classifier(2 * lstm_hidden, fc_hidden, classes, dropout)

    def forward(self, clips):
        b, t = clips.shape[:2]
        feats = self.backbone(clips.reshape(b * t, *clips.shape[2:])).reshape(b, t, -1)
        seq, _ = self.temporal(feats)
        return self.classifier(seq)


class FrameExpressionNet(nn.Module):
    """Frame-only model: (batch, 3, H, W) -> (batch, classes)."""

    def __init__(self, arch="resnet101-cbam", classes=7, fc_hidden=256, dropout=0.5, **_):
        super().__init__()
        self.backbone = resnet(arch, num_classes=0)
        self.classifier = classifier(feature_dim(arch), fc_hidden, classes, dropout)

    def forward(self, images):
        return self.classifier(self.backbone(images))


def randomize_batchnorm(model, generator):
    """Random BN statistics and affine parameters, so that a wrong BN wiring changes the output."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2, generator=generator)
                m.running_var.uniform_(0.5, 2.0, generator=generator)
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.2, 0.2, generator=generator)
                m.num_batches_tracked.fill_(7)
