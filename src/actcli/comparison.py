"""What ``compare`` computes: properties side by side, and how far activations differ.

Every property is computed from the activation itself (its values, derivatives, kinks and
limits), none is typed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from actcli.catalog.registry import Activation
from actcli.errors import UsageError
from actcli.stats import SATURATION, expect

METRICS = ("abs", "rel", "ulp")
# Rows of the properties table (and keys of its JSON) that explain.py reads back
MEAN = "E[f(z)], z ~ N(0,1)"
SATURATES = "saturates (|f′| < 1e-3)"  # states SATURATION (a test holds them equal)


@dataclass
class Difference:
    a: str
    b: str
    metric: str
    value: float
    at: float


def check_elementwise(acts: list[Activation]) -> None:
    for act in acts:
        if act.kind != "elementwise":
            raise UsageError(f"compare takes elementwise activations; {act.name} is a vector one")


def gaussian_mean(act: Activation) -> float:
    """E[f(z)] for z ~ N(0, 1) (quadrature split at the kinks, see :mod:`actcli.stats`)."""
    return expect(act, lambda t: float(act(t)), 0.0, 1.0)


def _minimum(act: Activation, x: np.ndarray, y: np.ndarray) -> tuple[float, float] | None:
    """The interior minimum on the grid, refined by bisection on f′ (None at an edge)."""
    finite = np.isfinite(y)
    if not finite.any():
        return None
    i = int(np.nanargmin(np.where(finite, y, np.inf)))
    if i in (0, len(x) - 1):
        return None
    lo, hi = float(x[i - 1]), float(x[i + 1])
    d = act.derivative
    if not (d(lo) < 0 < d(hi)):
        return float(y[i]), float(x[i])  # flat or kinked minimum: the grid point is it
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if d(mid) < 0:
            lo = mid
        else:
            hi = mid
    at = 0.5 * (lo + hi)
    return float(act(at)), at


def _monotonic(y: np.ndarray) -> str:
    """From the values themselves (a step is non-decreasing although f′ = 0 almost everywhere)."""
    steps = np.diff(y[np.isfinite(y)])
    if (steps > 0).all():
        return "increasing"
    if (steps >= 0).all():
        return "non-decreasing" if (steps > 0).any() else "constant"
    if (steps < 0).all():
        return "decreasing"
    if (steps <= 0).all():
        return "non-increasing"
    return "no"


def _smoothness(act: Activation) -> str:
    if act.definition.family == "expression":
        return "not derived for formulas"
    kinks = act.kink_points
    if not kinks:
        return "C∞"
    worst = min(k.jump_order for k in kinks)
    return ("discontinuous", "C⁰", "C¹")[worst]


def _edge(act: Activation, a: float, b: float, eps: float) -> float:
    """Where |f′| crosses eps between grid points a and b: a kink there, or bisection."""
    for k in act.kinks:
        if a <= k <= b:
            return k
    flat_a = abs(float(act.derivative(a))) < eps
    for _ in range(60):
        m = 0.5 * (a + b)
        if (abs(float(act.derivative(m))) < eps) == flat_a:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def _saturation(act: Activation, x: np.ndarray, dy: np.ndarray) -> str:
    """The sides on which |f′| < 1e−3 holds to the end of the grid, with refined edges."""
    flat = np.abs(dy) < SATURATION
    if flat.all():
        return "everywhere"
    parts = []
    if flat[0]:
        i = int(np.argmin(flat))
        parts.append(f"x < {_edge(act, float(x[i - 1]), float(x[i]), SATURATION):.3g}")
    if flat[-1]:
        i = len(x) - 1 - int(np.argmin(flat[::-1]))
        parts.append(f"x > {_edge(act, float(x[i]), float(x[i + 1]), SATURATION):.3g}")
    return ", ".join(parts) if parts else "none"


def _bound(value: float) -> str:
    return "∞" if value == math.inf else "-∞" if value == -math.inf else f"{value:.6g}"


PROBE = np.linspace(-60.0, 60.0, 4801)  # where a range's bounds are looked for


def _range(act: Activation, minimum: tuple[float, float] | None) -> str:
    """The output range: limits at ±∞, interior extrema, and whether each end is attained.

    An end is attained ([ or ]) at an interior extremum, or where a piecewise definition
    reaches its limit at a kink and stays there (relu at 0, relu6 at 6); a limit only
    approached (sigmoid → 1, e^(−x²) → 0) is open even where it rounds to the bound.
    """
    if act.definition.family == "expression":
        return "not derived for formulas"
    lo_inf, hi_inf = act.definition.limits(**act.params)[0]
    if math.isnan(lo_inf) or math.isnan(hi_inf):
        return "not derived (no limit at ±∞)"
    y = np.asarray(act(PROBE))
    at_kinks = np.array(
        [v for k in act.kinks for v in (np.nextafter(k, -np.inf), k, np.nextafter(k, np.inf))]
    )
    reached = np.asarray(act(at_kinks)) if at_kinks.size else np.array([])
    ends = []
    for limit, pick in ((lo_inf, np.min), (hi_inf, np.max)):
        extreme = float(pick(y))
        beyond = extreme < limit if pick is np.min else extreme > limit
        ends.append((extreme, True) if beyond else (limit, bool(np.any(reached == limit))))
    if minimum is not None and minimum[0] < ends[0][0]:
        ends[0] = (minimum[0], True)
    (lo, lo_hit), (hi, hi_hit) = ends
    return f"{'[' if lo_hit else '('}{_bound(lo)}, {_bound(hi)}{']' if hi_hit else ')'}"


def properties(act: Activation, x: np.ndarray) -> dict[str, Any]:
    """One column of the comparison table."""
    y = np.asarray(act(x))
    dy = np.asarray(act.derivative(x))
    lo_inf, hi_inf = act.definition.limits(**act.params)[0]
    minimum = _minimum(act, x, y)
    finite = y[np.isfinite(y)]
    formula = act.definition.family == "expression"
    bounded = {(True, True): "both", (True, False): "below", (False, True): "above"}.get(
        (math.isfinite(lo_inf), math.isfinite(hi_inf)), "no"
    )
    return {
        "range": _range(act, minimum),
        "on the grid": f"[{finite.min():.6g}, {finite.max():.6g}]" if finite.size else "—",
        "minimum": f"{minimum[0]:.12g} at {minimum[1]:.12g}" if minimum else "at an edge",
        "monotonic": _monotonic(y),
        "bounded": "not derived for formulas" if formula else bounded,
        MEAN: f"{gaussian_mean(act):.6g}",
        "smoothness": _smoothness(act),
        "f(0)": float(act(0.0)),
        "f′(0)": float(act.derivative(0.0)),
        SATURATES: _saturation(act, x, dy),
    }


def difference(a: Activation, b: Activation, x: np.ndarray, metric: str) -> Difference:
    """The largest difference between two activations on the grid, and where."""
    if metric not in METRICS:
        raise UsageError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    ya, yb = np.asarray(a(x)), np.asarray(b(x))
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 and inf − inf mean "no data"
        diff = np.abs(ya - yb)
        if metric == "rel":
            diff = diff / np.maximum(np.abs(ya), np.abs(yb))
            diff = np.where((ya == yb), 0.0, diff)
        elif metric == "ulp":
            diff = diff / np.spacing(np.maximum(np.abs(ya), np.abs(yb)))
            diff = np.where((ya == yb), 0.0, diff)
    diff = np.where(np.isfinite(diff), diff, np.nan)
    if np.isnan(diff).all():
        return Difference(a.spec, b.spec, metric, math.nan, math.nan)
    i = int(np.nanargmax(diff))
    return Difference(a.spec, b.spec, metric, float(diff[i]), float(x[i]))


def pairs(acts: list[Activation], x: np.ndarray, metric: str) -> list[Difference]:
    return [
        difference(acts[i], acts[j], x, metric)
        for i in range(len(acts))
        for j in range(i + 1, len(acts))
    ]
