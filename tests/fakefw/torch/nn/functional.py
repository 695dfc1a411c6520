"""The fake torch.nn.functional: relu and silu right, gelu deliberately sloppy."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

from torch import _op

_K = math.sqrt(2 / math.pi)


def relu(x):
    return _op(x, lambda v: np.maximum(v, 0.0), lambda v: np.where(np.isnan(v), v, v > 0))


def silu(x):
    def value(v):
        return np.where(np.isinf(v), np.maximum(v, 0.0), v * expit(v))

    def slope(v):
        return np.where(np.isinf(v), v > 0, expit(v) * (1 + v * expit(-v)))

    return _op(x, value, slope)


def gelu(x, approximate="none"):
    """Sloppy on purpose: the tanh approximation even when the exact GELU is asked for."""

    def value(v):
        return 0.5 * v * (1 + np.tanh(_K * (v + 0.044715 * v**3)))

    def slope(v):
        t = np.tanh(_K * (v + 0.044715 * v**3))
        return 0.5 * (1 + t) + 0.5 * v * (1 - t**2) * _K * (1 + 3 * 0.044715 * v**2)

    return _op(x, value, slope)
