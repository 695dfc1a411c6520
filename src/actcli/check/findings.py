"""What check finds in the values, beside their errors: steps against the reference's direction
(non-monotonic), outputs of the wrong sign, zeros where the reference is a normal number
(flush to zero), inf or nan where it is finite, the values at ±0, ±inf and nan, and a narrower
dtype that holds every value given. Each is gathered block by block; each finding is a dict
with its ``kind``, counts, x range, an example and a ``message`` (the findings list of the
report and of its JSON document).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actcli import dtypes
from actcli.check.deviations import ulp_errors


def _num(value: float, digits: int = 5) -> str:
    return dtypes.format_number(float(value), digits)


def example(x: np.ndarray, y: np.ndarray, ref: np.ndarray, i: int) -> dict[str, float]:
    """Row ``i``: its x, the value given and the reference."""
    return {"x": float(x[i]), "given": float(y[i]), "reference": float(ref[i])}


class Steps:
    """Steps between neighbouring x where the output goes against the reference's direction,
    in ascending x, block after block (the last row of one and the first of the next too)."""

    def __init__(self, dtype: str) -> None:
        self.dtype, self.count, self.lo, self.hi = dtype, 0, math.inf, -math.inf
        self.worst, self.up = -math.inf, True
        self.pair: list[dict[str, float]] = []
        self.last: tuple[np.ndarray, ...] | None = None
        self.first: tuple[np.ndarray, ...] | None = None  # (for the step into a later run)

    def add(self, xs: np.ndarray, ys: np.ndarray, rs: np.ndarray) -> None:
        if not xs.size:
            return
        if self.first is None:
            self.first = (xs[:1].copy(), ys[:1].copy(), rs[:1].copy())
        if self.last is not None:
            self._scan(
                *(np.concatenate((a, b[:1])) for a, b in zip(self.last, (xs, ys, rs), strict=True))
            )
        self._scan(xs, ys, rs)
        self.last = (xs[-1:].copy(), ys[-1:].copy(), rs[-1:].copy())

    def _scan(self, xs: np.ndarray, ys: np.ndarray, rs: np.ndarray) -> None:
        if xs.size < 2:
            return
        way = np.sign(np.diff(rs))
        step = np.diff(ys)
        at = np.flatnonzero((np.diff(xs) > 0) & (way != 0) & (np.sign(step) == -way))
        if not at.size:
            return
        with np.errstate(over="ignore"):  # a step of 1e300 is inf ULP
            size = np.abs(step[at]) / dtypes.ulp(rs[at + 1], self.dtype)
        self.count += at.size
        self.lo, self.hi = min(self.lo, float(xs[at].min())), max(self.hi, float(xs[at + 1].max()))
        k = int(np.argmax(size))
        if size[k] > self.worst:  # the first of equal ones
            i = int(at[k])
            self.worst, self.up = float(size[k]), bool(way[i] > 0)
            self.pair = [example(xs, ys, rs, j) for j in (i, i + 1)]

    def merge(self, later: Steps) -> None:
        """Take in the steps of the rows that follow these (the step between the two runs
        too), as if they had been added here."""
        if self.last is not None and later.first is not None:
            self._scan(*(np.concatenate(ab) for ab in zip(self.last, later.first, strict=True)))
        self.count += later.count
        self.lo, self.hi = min(self.lo, later.lo), max(self.hi, later.hi)
        if later.worst > self.worst:
            self.worst, self.up, self.pair = later.worst, later.up, later.pair
        self.first = self.first if self.first is not None else later.first
        self.last = later.last if later.last is not None else self.last

    def finding(self) -> dict[str, Any] | None:
        if not self.count:
            return None
        first, second = self.pair
        d = self.dtype
        return {
            "kind": "non_monotonic",
            "count": self.count,
            "x_min": self.lo,
            "x_max": self.hi,
            "worst_pair": self.pair,
            "worst_ulp": self.worst,
            "message": f"{self.count:,} non-monotonic steps for x in [{_num(self.lo)}, "
            f"{_num(self.hi)}] where the reference is monotone; worst ({self.worst:.3g} ULP): "
            f"f({dtypes.spell(first['x'], d)}) = {dtypes.spell(first['given'], d)} {'>' if self.up else '<'} "
            f"f({dtypes.spell(second['x'], d)}) = {dtypes.spell(second['given'], d)}",
        }


class Rows:
    """Rows of one kind: how many, their x range and the first of them."""

    def __init__(self, kind: str, what: str) -> None:
        self.kind, self.what, self.count, self.lo, self.hi = kind, what, 0, math.inf, -math.inf
        self.first: dict[str, float] = {}

    def add(self, at: np.ndarray, x: np.ndarray, y: np.ndarray, ref: np.ndarray) -> None:
        if not at.size:
            return
        self.count += at.size
        self.lo = float(np.minimum(self.lo, x[at].min()))  # (nan stays nan, as in numpy)
        self.hi = float(np.maximum(self.hi, x[at].max()))
        self.first = self.first or example(x, y, ref, int(at[0]))

    def merge(self, later: Rows) -> None:
        """Take in the rows that follow these."""
        self.count += later.count
        self.lo = float(np.minimum(self.lo, later.lo))
        self.hi = float(np.maximum(self.hi, later.hi))
        self.first = self.first or later.first

    def finding(self, dtype: str) -> dict[str, Any] | None:
        if not self.count:
            return None
        e = self.first
        return {
            "kind": self.kind,
            "count": self.count,
            "x_min": self.lo,
            "x_max": self.hi,
            "example": e,
            "message": f"{self.count:,} {self.what}, for x in [{_num(self.lo)}, {_num(self.hi)}]; "
            f"e.g. f({dtypes.spell(e['x'], dtype)}) = {dtypes.spell(e['given'], dtype)}, reference "
            f"{_num(e['reference'], 3)}",
        }


class Flushes:
    """Zero where the reference is a normal number of the type, on each side of 0: a
    threshold when every x beyond it gives 0."""

    def __init__(self, dtype: str) -> None:
        self.tiny = dtypes.lookup(dtype).smallest_normal
        self.sides = {side: Rows("flush_to_zero", "") for side in (-1, 1)}
        self.edge: dict[int, float] = {}  # the zero nearest 0 on each side
        # the extremes of the finite x where y is not 0: x beyond a threshold all give 0
        # when none of them is beyond it
        self.lo, self.hi = math.inf, -math.inf

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, nonfinite_x: bool) -> None:
        zero = y == 0
        nonzero = ~zero & np.isfinite(x) if nonfinite_x else ~zero
        self.lo = min(self.lo, float(np.min(x, where=nonzero, initial=math.inf)))
        self.hi = max(self.hi, float(np.max(x, where=nonzero, initial=-math.inf)))
        at = np.flatnonzero(zero)
        with np.errstate(invalid="ignore"):
            at = at[np.isfinite(ref[at]) & (np.abs(ref[at]) >= self.tiny)]
        for side, rows in ((-1, at[x[at] < 0]), (1, at[x[at] > 0])):
            if not rows.size:
                continue
            edge = rows[np.argmax(x[rows])] if side < 0 else rows[np.argmin(x[rows])]
            t = float(x[edge])
            if side not in self.edge or (t > self.edge[side] if side < 0 else t < self.edge[side]):
                self.edge[side] = t
                self.sides[side].first = example(x, y, ref, int(edge))
            self.sides[side].add(rows, x, y, ref)

    def merge(self, later: Flushes) -> None:
        """Take in the zeros of the rows that follow these (an edge as far out only if
        nearer 0: the first of equal ones is kept)."""
        self.lo, self.hi = min(self.lo, later.lo), max(self.hi, later.hi)
        for side, rows in self.sides.items():
            first = rows.first
            rows.merge(later.sides[side])
            t = later.edge.get(side)
            mine = self.edge.get(side)
            if t is not None and (mine is None or (t > mine if side < 0 else t < mine)):
                self.edge[side], first = t, later.sides[side].first
            rows.first = first

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for side, rows in self.sides.items():
            if not rows.count:
                continue
            t, e = self.edge[side], rows.first
            cut = self.lo > t if side < 0 else self.hi < t
            found: dict[str, Any] = {
                "kind": "flush_to_zero",
                "count": rows.count,
                "x_min": rows.lo,
                "x_max": rows.hi,
                "threshold": t if cut else None,
                "example": e,
            }
            if cut:
                sign = "≤" if side < 0 else "≥"
                found["message"] = (
                    f"returns 0 for x {sign} {_num(t)} ({rows.count:,} inputs); reference "
                    f"{_num(e['reference'], 2)} there"
                )
            else:
                found["message"] = (
                    f"returns 0 at {rows.count:,} inputs in [{_num(rows.lo)}, "
                    f"{_num(rows.hi)}] where the reference is a normal number; e.g. "
                    f"f({_num(t)}) = 0, reference {_num(e['reference'], 2)}"
                )
            out.append(found)
        return out


SPECIALS = (("-0", -0.0), ("+0", 0.0), ("-inf", -math.inf), ("+inf", math.inf), ("nan", math.nan))


class Specials:
    """What the values are at ±0, ±inf and nan, where those are among the inputs."""

    def __init__(self) -> None:
        self.count = dict.fromkeys((label for label, _ in SPECIALS), 0)
        self.first: dict[str, tuple[float, float, bool]] = {}  # given, reference, passed

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, passes: np.ndarray) -> None:
        at = np.flatnonzero(~np.isfinite(x) | (x == 0))
        xs = x[at]
        for label, value in SPECIALS:
            if math.isnan(value):
                rows = at[np.isnan(xs)]
            else:
                rows = at[(xs == value) & (np.signbit(xs) == (math.copysign(1.0, value) < 0))]
            if rows.size:
                self.count[label] += rows.size
                i = int(rows[0])
                self.first.setdefault(label, (float(y[i]), float(ref[i]), bool(passes[i])))

    def merge(self, later: Specials) -> None:
        """Take in the special x of the rows that follow these."""
        for label, count in later.count.items():
            self.count[label] += count
        for label, first in later.first.items():
            self.first.setdefault(label, first)

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for label, value in SPECIALS:
            if label not in self.first:
                continue
            given, reference, right = self.first[label]
            zero_sign = given == 0 and reference == 0 and np.signbit(given) != np.signbit(reference)
            verdict = "right" if right else "WRONG"
            if zero_sign:
                verdict += ", but the sign of zero differs"
            out.append(
                {
                    "kind": "special",
                    "x": value,
                    "given": given,
                    "reference": reference,
                    "passed": right,
                    "count": self.count[label],
                    "message": f"at x = {label}: {_num(given, 3)} (reference {_num(reference, 3)}): "
                    f"{verdict}",
                }
            )
        return out


def _numbers_of(values: np.ndarray, dtype: str) -> bool:
    """Whether every value is a number of ``dtype`` (too large: not one of its numbers).
    bfloat16's are the float32 numbers whose last 16 bits are 0: asked of every check, this
    does not import ml_dtypes (a second or two)."""
    if dtype != "bfloat16":
        return bool(np.array_equal(dtypes.rounded(values, dtype), values))
    with np.errstate(over="ignore"):
        narrow = values.astype(np.float32)
    return bool(np.array_equal(narrow, values) and not (narrow.view(np.uint32) & 0xFFFF).any())


class Narrower:
    """The narrowest dtype, narrower than the one checked, that holds every given value
    exactly, and whether they pass in it: float64 values that all are float32 numbers were
    very likely computed in float32, and their errors belong in float32 ULP."""

    def __init__(self, dtype: str) -> None:
        narrower = ("float16", "bfloat16", "float32")
        precision = dtypes.lookup(dtype).precision
        self.held = [d for d in narrower if dtypes.lookup(d).precision < precision]
        self.worst = dict.fromkeys(self.held, 0.0)
        self.seen = False  # a finite value

    def add(self, y: np.ndarray, ref: np.ndarray) -> None:
        if not self.held:
            return
        finite = y[np.isfinite(y)]
        self.seen = self.seen or bool(finite.size)
        for name in list(self.held):
            if _numbers_of(finite, name):
                self.worst[name] = max(self.worst[name], float(ulp_errors(y, ref, name).max()))
            else:
                self.held.remove(name)

    def merge(self, later: Narrower) -> None:
        """Take in the values that follow these: a dtype is kept if it holds them all."""
        self.held = [d for d in self.held if d in later.held]
        self.worst = {d: max(self.worst[d], later.worst[d]) for d in self.held}
        self.seen = self.seen or later.seen

    def passing(self, tolerance: float) -> str | None:
        if not (self.seen and self.held):
            return None
        return self.held[0] if self.worst[self.held[0]] <= tolerance else None
