"""Training speed: ``actcli train NAME`` on circles (512 points, 2 hidden layers of 16 units,
500 epochs, the defaults) against a bare numpy script training the same network.

Run: python bench/train.py

The baseline is the same full-batch network written out in numpy in a fresh interpreter:
relu as np.maximum and its derivative as z > 0, binary cross-entropy by np.logaddexp, the
held-out points in the same forward pass, no report. actcli pays for its exact activations
(each call checks its input and applies the dialect's kink rule), the init gain's quadrature,
the per-epoch report and its start-up. Median of 5 interleaved runs after 1 warm-up.
Target: ≤ 1 s per activation.
"""

from __future__ import annotations

import tempfile

from _timing import ACTCLI, PY, medians

BARE = """
import numpy as np
rng = np.random.default_rng(0)
n = 512
k = np.arange(n) % 2
theta = rng.uniform(0, 2 * np.pi, n)
x = np.where(k == 0, 1.0, 0.5)[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
x = (x + 0.1 * rng.standard_normal(x.shape) - x.mean(0)) / x.std(0)
y = k[:384, None].astype(float)
widths = [2, 16, 16, 1]
ws = [rng.standard_normal((a, b)) * np.sqrt(2 / a) for a, b in zip(widths, widths[1:])]
bs = [np.zeros(b) for b in widths[1:]]
for epoch in range(501):
    h, inputs, slopes = x, [x], []
    for w, b in zip(ws[:-1], bs[:-1]):
        z = h @ w + b
        h = np.maximum(z, 0)
        slopes.append((z > 0).astype(float))
        inputs.append(h)
    out = h @ ws[-1] + bs[-1]
    s = (2 * y - 1) * out[:384]
    loss = np.mean(np.logaddexp(0, -s))
    dz = (1 / (1 + np.exp(-out[:384])) - y) / 384
    accuracy = np.mean((out[384:, 0] > 0) == k[384:])
    for i in range(len(ws) - 1, -1, -1):
        gw, gb = inputs[i][:384].T @ dz, dz.sum(0)
        if i:
            dz = (dz @ ws[i].T) * slopes[i - 1][:384]
        ws[i] = ws[i] - 0.5 * gw
        bs[i] = bs[i] - 0.5 * gb
"""

COMMANDS = [  # label, arguments, activations
    ("train relu", "relu", 1),
    ("train tanh", "tanh", 1),
    ("train sigmoid", "sigmoid", 1),
    ("train gelu", "gelu", 1),
    ("train identity relu tanh sigmoid", "identity relu tanh sigmoid", 4),
    ("train relu leaky_relu --lr 3.5 -o f.png", "relu leaky_relu --lr 3.5 -o {tmp}/f.png", 2),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = f"{tmp}/bare.py"
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(BARE)
        rows = [("bare numpy script, relu (baseline)", f"{PY} {script}", 1)]
        rows += [
            (f"actcli {label}", f"{ACTCLI} train {args.format(tmp=tmp)} --format csv", count)
            for label, args, count in COMMANDS
        ]
        repeat, warmup = 5, 1
        seconds = medians([command for _, command, _ in rows], repeat, warmup)
        print(f"median of {repeat} interleaved runs after {warmup} warm-up\n")
        print(f"{'command':<52}{'median s':>9}{'ratio':>7}{'s per activation':>18}")
        for (label, _, count), s in zip(rows, seconds, strict=True):
            print(f"{label:<52}{s:>9.3f}{s / seconds[0]:>7.2f}{s / count:>18.3f}")


if __name__ == "__main__":
    main()
