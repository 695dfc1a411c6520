"""A fake torch: just what actcli's audit adapter calls, in numpy (see ../README.md)."""

from __future__ import annotations

import contextlib
import types

import ml_dtypes
import numpy as np
from scipy.special import expit

__version__ = "0.0+fake"


class dtype:  # (torch spells it so)
    def __init__(self, name, kind):
        self.name, self.kind = name, np.dtype(kind)

    def __repr__(self):
        return f"torch.{self.name}"


bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16)
float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)


def _round(values, kind):
    """float64 values rounded once to the tensor's dtype, held as float64."""
    with np.errstate(all="ignore"):
        return np.asarray(values, np.float64).astype(kind.kind).astype(np.float64)


class Tensor:
    """Values of a dtype (held as float64) and, when tracked, d(self)/d(leaf) elementwise."""

    def __init__(self, values, kind, slope=None):
        self.values, self.dtype, self.slope = _round(values, kind), kind, slope
        self.requires_grad = False

    def to(self, device=None, dtype=None):
        assert device in (None, "cpu", "cuda"), device  # (a test pretends to have a GPU)
        return Tensor(self.values, dtype or self.dtype)

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    def detach(self):
        return Tensor(self.values, self.dtype)

    def numpy(self):
        return self.values.astype(self.dtype.kind)

    def _tracked(self):
        if self.slope is not None:
            return self.slope
        return np.ones_like(self.values) if self.requires_grad else None


def _op(x, value, derivative):
    """An elementwise op: its value and, when x is tracked, the chain rule."""
    with np.errstate(all="ignore"):
        v = value(x.values)
        inner = x._tracked()
        slope = None if inner is None else derivative(x.values) * inner
    return Tensor(v, x.dtype, slope)


def from_numpy(array):
    assert array.dtype == np.float32
    return Tensor(array, float32)


def ones_like(t):
    return Tensor(np.ones_like(t.values), t.dtype)


def no_grad():
    return contextlib.nullcontext()


def sigmoid(x):
    return _op(x, expit, lambda v: expit(v) * expit(-v))


def tanh(x):
    return _op(x, np.tanh, lambda v: 1 / np.cosh(v) ** 2)


def tensor(value, dtype=float32):
    return Tensor(np.asarray(value, np.float64), dtype)


def heaviside(x, values):
    """Like torch's: no derivative (autograd.grad then refuses)."""
    v = np.where(x.values == 0, values.values, np.where(np.isnan(x.values), x.values, x.values > 0))
    return Tensor(v, x.dtype)


def _grad(outputs, inputs, grad_outputs):
    if outputs.slope is None:
        raise RuntimeError("derivative for aten::heaviside is not implemented")
    with np.errstate(all="ignore"):
        return (Tensor(outputs.slope * grad_outputs.values, inputs.dtype),)


autograd = types.SimpleNamespace(grad=_grad)
cuda = types.SimpleNamespace(is_available=lambda: False)

from torch import nn  # noqa: E402 (torch.nn after the tensor it works on)

__all__ = ["Tensor", "nn"]
