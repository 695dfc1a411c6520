"""The toy data sets of ``train``, generated in numpy from the formulas below.

No download and no new dependency: the same seed gives the same points, bit for bit. Every
set has ``samples`` points in the plane, split evenly between the classes (the first classes
take the remainder); ``noise`` is the standard deviation of the Gaussian added to each
coordinate (to the target, for the regression). With angles θ ~ U[0, 2π), t ~ U[0, 1] and u ~ U[−1, 1]², per class k of K:

- circles: (cos θ, sin θ) for class 0, ½(cos θ, sin θ) for class 1.
- moons: (cos πt, sin πt) for class 0, (1 − cos πt, ½ − sin πt) for class 1.
- xor: u, of class 1 where u₁·u₂ > 0 (the label is the noiseless point's).
- spiral: t(cos φ, sin φ) with φ = 2πk/K + 4t, K = ``classes`` arms (2 by default).
- linear: u, with the target y = u₁ − 2u₂ + ½ + noise·N(0, 1): a regression.

A quarter of the points, picked by a permutation drawn from the same generator, is held out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from actcli.errors import UsageError

NAMES = ("circles", "moons", "xor", "spiral", "linear")
REGRESSIONS = ("linear",)
HELD_OUT = 0.25
MIN_SAMPLES = 20  # 5 held out: anything less makes a held-out accuracy meaningless
MAX_SAMPLES = 10_000
MAX_CLASSES = 8
MAX_NOISE = 10.0


@dataclass(frozen=True)
class Dataset:
    """Points and labels (class indices, or targets for a regression), split in two."""

    name: str
    x_train: np.ndarray  # (n, 2)
    y_train: np.ndarray  # (n,) int class indices, or float targets
    x_test: np.ndarray
    y_test: np.ndarray
    classes: int  # 0 for a regression
    noise: float

    @property
    def samples(self) -> int:
        return len(self.x_train) + len(self.x_test)


Generator = Callable[[np.random.Generator, np.ndarray, int], tuple[np.ndarray, np.ndarray]]


def _circles(rng: np.random.Generator, k: np.ndarray, _: int) -> tuple[np.ndarray, np.ndarray]:
    theta = rng.uniform(0.0, 2.0 * math.pi, k.size)
    radius = np.where(k == 0, 1.0, 0.5)
    return radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]), k


def _moons(rng: np.random.Generator, k: np.ndarray, _: int) -> tuple[np.ndarray, np.ndarray]:
    t = math.pi * rng.uniform(0.0, 1.0, k.size)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    return np.where((k == 0)[:, None], upper, lower), k


def _xor(rng: np.random.Generator, k: np.ndarray, _: int) -> tuple[np.ndarray, np.ndarray]:
    u = rng.uniform(-1.0, 1.0, (k.size, 2))
    return u, (u[:, 0] * u[:, 1] > 0).astype(np.int64)


def _spiral(rng: np.random.Generator, k: np.ndarray, arms: int) -> tuple[np.ndarray, np.ndarray]:
    t = rng.uniform(0.0, 1.0, k.size)
    phi = 2.0 * math.pi * k / arms + 4.0 * t
    return t[:, None] * np.column_stack([np.cos(phi), np.sin(phi)]), k


def _linear(rng: np.random.Generator, k: np.ndarray, _: int) -> tuple[np.ndarray, np.ndarray]:
    u = rng.uniform(-1.0, 1.0, (k.size, 2))
    return u, u[:, 0] - 2.0 * u[:, 1] + 0.5  # make() adds the target's noise


GENERATORS: dict[str, Generator] = {
    "circles": _circles,
    "moons": _moons,
    "xor": _xor,
    "spiral": _spiral,
    "linear": _linear,
}


def make(
    name: str, samples: int, noise: float, classes: int | None, rng: np.random.Generator
) -> Dataset:
    """The data set ``name``: ``samples`` points with ``noise``, a quarter held out."""
    if name not in GENERATORS:
        raise UsageError(f"unknown data set {name!r}: one of {', '.join(NAMES)}", option="data")
    if not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise UsageError(
            f"must be between {MIN_SAMPLES} and {MAX_SAMPLES}, got {samples}", option="samples"
        )
    if not 0 <= noise <= MAX_NOISE:  # also refuses nan
        raise UsageError(f"must be between 0 and {MAX_NOISE:g}, got {noise}", option="noise")
    arms = _classes(name, classes)
    k = np.arange(samples) % max(arms, 1)  # balanced: class k gets every K-th point
    k = np.sort(k, kind="stable")
    x, y = GENERATORS[name](rng, k, arms)
    if arms:
        x = x + noise * rng.standard_normal(x.shape)
    else:  # a regression's noise is on what is measured: the target
        y = y + noise * rng.standard_normal(y.shape)
    order = rng.permutation(samples)
    test, train = order[: int(samples * HELD_OUT)], order[int(samples * HELD_OUT) :]
    return Dataset(name, x[train], y[train], x[test], y[test], arms, noise)


def _classes(name: str, classes: int | None) -> int:
    """How many classes ``name`` has (0: a regression); only spiral takes a number."""
    fixed = 0 if name in REGRESSIONS else None if name == "spiral" else 2
    if fixed is not None:
        if classes is not None and classes != fixed:
            has = "is a regression" if fixed == 0 else f"has {fixed} classes"
            raise UsageError(f"{name} {has}; only spiral takes a number of classes")
        return fixed
    chosen = 2 if classes is None else classes
    if not 2 <= chosen <= MAX_CLASSES:
        raise UsageError(f"must be between 2 and {MAX_CLASSES}, got {chosen}", option="classes")
    return chosen
