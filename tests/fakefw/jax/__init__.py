"""A fake jax: the calls actcli's audit adapter makes (jnp arrays are numpy arrays of the
dtype; ``vjp`` runs the function on dual numbers, which the fake jax.nn understands)."""

from __future__ import annotations

from jax import nn, numpy

__version__ = "0.0+fake"
__all__ = ["default_backend", "nn", "numpy", "vjp"]


class Dual:
    """Values with d(value)/dx alongside: what the fake jax.nn differentiates through."""

    def __init__(self, value, slope):
        self.value, self.slope = value, slope


def default_backend():
    return "cpu"


def vjp(fn, x):
    out = fn(Dual(x, numpy.ones_like(x)))

    def pull(cotangent):
        with numpy.errstate_all():
            return ((out.slope * cotangent.astype(numpy.float64)).astype(x.dtype),)

    return out.value, pull
