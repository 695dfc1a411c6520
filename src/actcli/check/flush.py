"""The hardware's flush modes in check's reference, and the failing rows they would explain.

Much hardware runs with subnormal numbers turned off: DAZ (denormals are zero) reads a
subnormal input as zero, FTZ (flush to zero) writes a subnormal result as zero, both keeping
the sign. JAX and TensorFlow on CPU read subnormal float32 *inputs* as zero, so their elu
returns 0 for x = 1e-40, where the exact elu is 1e-40: millions of ULP, yet what the hardware
should give. A :class:`Flush` models it in the reference: the reference is computed at the
flushed input, and its subnormal result flushed; "subnormal" always in the dtype checked,
where the kernel flushes (float32's subnormals are normal float64 numbers).

Without the mode, :class:`Causes` names it: failing rows that pass once it is modelled
("subnormal inputs flushed: 254 rows (x in ±[1.4e-45, 1.2e-38]); within tolerance if --daz").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from actcli import dtypes


@dataclass(frozen=True)
class Flush:
    """Which flushes the kernel's hardware does, in ``dtype``: ``daz`` subnormal inputs read
    as ±0, ``ftz`` subnormal results written as ±0."""

    dtype: str
    daz: bool = False
    ftz: bool = False

    @property
    def tiny(self) -> float:
        return dtypes.lookup(self.dtype).smallest_normal

    def subnormal(self, x: np.ndarray) -> np.ndarray:
        """Where ``x`` (values of the dtype) is subnormal."""
        with np.errstate(invalid="ignore"):
            sub: np.ndarray = (np.abs(x) < self.tiny) & (x != 0)
        return sub

    def inputs(self, x: np.ndarray) -> np.ndarray:
        """What the kernel computes at: ``x`` with its subnormals as ±0 (``daz``)."""
        if not self.daz:
            return x
        sub = self.subnormal(x)
        return np.where(sub, np.copysign(0.0, x), x) if sub.any() else x

    def flushed(self, reference: np.ndarray) -> np.ndarray:
        """Where ``reference`` is below the dtype's normal numbers once rounded to it (ties
        at the smallest normal round up to it, and stay: tininess after rounding, as x86's)."""
        near = np.flatnonzero((np.abs(reference) < self.tiny) & (reference != 0))
        out = np.zeros(reference.shape, dtype=bool)
        if near.size:
            rounded = dtypes.rounded(reference[near], self.dtype)
            out[near[np.abs(rounded) < self.tiny]] = True
        return out

    def results(self, reference: np.ndarray) -> np.ndarray:
        """What the kernel writes: ``reference`` with its subnormal results as ±0 (``ftz``)."""
        if not self.ftz:
            return reference
        flush = self.flushed(reference)
        return np.where(flush, np.copysign(0.0, reference), reference) if flush.any() else reference


# (x where it is computed, y, the model) -> whether each row passes
Judge = Callable[[Flush, np.ndarray, np.ndarray], np.ndarray]


class _Cause:
    """Failing rows that one more flush mode would pass."""

    def __init__(self, mode: str) -> None:
        self.mode, self.count = mode, 0
        self.lo, self.hi = math.inf, 0.0  # |x|
        self.signs: set[bool] = set()  # x < 0
        self.first: dict[str, float] = {}

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray) -> None:
        if not x.size:
            return
        self.count += x.size
        size = np.abs(x)
        self.lo, self.hi = min(self.lo, float(size.min())), max(self.hi, float(size.max()))
        self.signs |= {bool(s) for s in np.unique(np.signbit(x))}
        self.first = self.first or {
            "x": float(x[0]),
            "given": float(y[0]),
            "reference": float(ref[0]),
        }

    def merge(self, later: _Cause) -> None:
        self.count += later.count
        self.lo, self.hi = min(self.lo, later.lo), max(self.hi, later.hi)
        self.signs |= later.signs
        self.first = self.first or later.first


class Causes:
    """The failing rows that DAZ or FTZ, not modelled, would pass: the first when x is
    subnormal in the dtype, the second when the reference is. ``judge`` decides a row under
    a model (the reference recomputed with it)."""

    def __init__(self, model: Flush, judge: Judge) -> None:
        self.model, self.judge = model, judge
        self.causes = {m: _Cause(m) for m in ("daz", "ftz") if not getattr(model, m)}

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, passes: np.ndarray) -> None:
        failing = np.flatnonzero(~passes)
        if not (failing.size and self.causes):
            return
        xs = x[failing]
        for mode, cause in self.causes.items():
            changed = (
                self.model.subnormal(xs) if mode == "daz" else self.model.flushed(ref[failing])
            )
            rows = failing[changed]
            if not rows.size:
                continue
            model = (
                replace(self.model, daz=True) if mode == "daz" else replace(self.model, ftz=True)
            )
            explained = rows[self.judge(model, x[rows], y[rows])]
            cause.add(x[explained], y[explained], ref[explained])

    def merge(self, later: Causes) -> None:
        """Take in the causes found in the rows that follow these."""
        for mode, cause in self.causes.items():
            cause.merge(later.causes[mode])

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for mode, c in self.causes.items():
            if not c.count:
                continue
            span = f" in [{_num(c.lo)}, {_num(c.hi)}]"
            if c.signs == {True}:
                span = f" in [{_num(-c.hi)}, {_num(-c.lo)}]"
            elif c.signs == {True, False}:
                span = " in ±" + span[4:]
            if c.lo == c.hi and len(c.signs) == 1:  # one x
                span = f" = {_num(-c.lo if True in c.signs else c.lo)}"
            what = "inputs" if mode == "daz" else "results"
            tail = (
                "" if mode == "daz" else f", where the reference is subnormal in {self.model.dtype}"
            )
            out.append(
                {
                    "kind": f"subnormal_{what}_flushed",
                    "count": c.count,
                    "x_min": -c.hi if True in c.signs else c.lo,
                    "x_max": c.hi if False in c.signs else -c.lo,
                    "example": c.first,
                    "option": mode,
                    "message": f"subnormal {what} flushed: {c.count:,} row{'s' * (c.count > 1)} "
                    f"(x{span}){tail}; "
                    f"within tolerance if --{mode}",
                }
            )
        return out


def _num(value: float) -> str:
    return dtypes.format_number(float(value), 3)
