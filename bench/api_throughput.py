"""Throughput of actcli's exact float64 activations against the naive numpy formula.

Run: python bench/api_throughput.py [N]   (default N = 10_000_000 elements)

For each function and its derivative it prints the median wall time of actcli and of the
textbook one-liner (the form PyTorch and friends use, which loses accuracy in the tails), both
measured in this process on the same input, and their ratio. Target: ratio <= 3.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
from scipy.special import erf

import actcli

SQRT1_2 = 0.7071067811865476
INV_SQRT_2PI = 0.3989422804014327


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


NAIVE: dict[str, tuple[Callable, Callable]] = {
    "sigmoid": (_sig, lambda x: _sig(x) * (1.0 - _sig(x))),
    "softplus": (lambda x: np.log1p(np.exp(x)), _sig),
    "silu": (lambda x: x * _sig(x), lambda x: _sig(x) * (1.0 + x * (1.0 - _sig(x)))),
    "gelu": (
        lambda x: 0.5 * x * (1.0 + erf(x * SQRT1_2)),
        lambda x: 0.5 * (1.0 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * np.exp(-0.5 * x * x),
    ),
    "mish": (
        lambda x: x * np.tanh(np.log1p(np.exp(x))),
        lambda x: (
            np.tanh(np.log1p(np.exp(x))) + x * _sig(x) * (1.0 - np.tanh(np.log1p(np.exp(x))) ** 2)
        ),
    ),
}


def median_time(fn: Callable, x: np.ndarray, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
    x = np.random.default_rng(0).uniform(-20.0, 20.0, n)
    print(f"{n:,} float64 elements, uniform on [-20, 20]; median of 3 runs\n")
    print(f"{'function':<14}{'actcli s':>10}{'naive s':>10}{'ratio':>8}")
    worst = 0.0
    with np.errstate(all="ignore"):  # the naive formulas overflow; that is their problem
        for name, (f, df) in NAIVE.items():
            act = actcli.get(name)
            for label, ours, naive in (
                (name, act, f),
                (name + "′", act.derivative, df),
            ):
                t_ours, t_naive = median_time(ours, x), median_time(naive, x)
                worst = max(worst, t_ours / t_naive)
                print(f"{label:<14}{t_ours:>10.3f}{t_naive:>10.3f}{t_ours / t_naive:>8.2f}")
    print(f"\nworst ratio {worst:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
