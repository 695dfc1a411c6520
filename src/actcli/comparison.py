"""What ``compare`` computes: properties side by side, and how far activations differ.

Every property is computed from the activation itself (its values, derivatives, kinks and
limits), none is typed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from actcli.catalog.registry import Activation
from actcli.errors import DataError, UsageError
from actcli.stats import SATURATION, edge, expect

METRICS = ("abs", "rel", "ulp")

# The properties' keys (JSON-friendly) and their labels in tables and text, in table order.
LABELS = {
    "range": "range",
    "grid_range": "on the grid",
    "minimum": "minimum",
    "monotonic": "monotonic",
    "bounded": "bounded",
    "gaussian_mean": "E[f(z)], z ~ N(0,1)",
    "smoothness": "smoothness",
    "f_at_0": "f(0)",
    "f_prime_at_0": "f′(0)",
    "saturates": "saturates (|f′| < 1e-3)",  # states SATURATION (a test holds them equal)
}

# What a property that cannot be computed for a formula raises (quadrature that does not
# converge, overflow, a value that is not finite): it is then shown as "not available (reason)".
# Anything else is a bug and propagates; no catalog activation shows "not available" (a test).
UNAVAILABLE = (ArithmeticError, ValueError, FloatingPointError, DataError)

T = TypeVar("T")


def available(compute: Callable[[], T]) -> T | str:
    """compute(), or "not available (reason)" when it raises one of :data:`UNAVAILABLE`."""
    try:
        return compute()
    except UNAVAILABLE as exc:
        return not_available(exc)


def not_available(exc: BaseException) -> str:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return f"not available ({reason})"


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
    return expect(act, lambda t: np.asarray(act(t)), 0.0, 1.0)


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
    at = edge(lambda t: np.asarray(d(t)) < 0, lo, hi)
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
    return edge(lambda t: np.abs(np.asarray(act.derivative(t))) < eps, a, b)


def _saturation(act: Activation, x: np.ndarray, dy: np.ndarray) -> list[dict[str, float]]:
    """The intervals on which |f′| < 1e−3 holds to the end of the grid, with refined edges
    (the whole line when it holds everywhere on the grid; none when nowhere at the ends)."""
    flat = np.abs(dy) < SATURATION
    if flat.all():
        return [{"lower": -math.inf, "upper": math.inf}]
    parts = []
    if flat[0]:
        i = int(np.argmin(flat))
        parts.append(
            {"lower": -math.inf, "upper": _edge(act, float(x[i - 1]), float(x[i]), SATURATION)}
        )
    if flat[-1]:
        i = len(x) - 1 - int(np.argmin(flat[::-1]))
        parts.append(
            {"lower": _edge(act, float(x[i]), float(x[i + 1]), SATURATION), "upper": math.inf}
        )
    return parts


def _bound(value: float) -> str:
    return "∞" if value == math.inf else "-∞" if value == -math.inf else f"{value:.6g}"


PROBE = np.linspace(-60.0, 60.0, 4801)  # where a range's bounds are looked for


def _range(act: Activation, minimum: tuple[float, float] | None) -> dict[str, Any] | str:
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
    return {"lower": lo, "upper": hi, "lower_included": lo_hit, "upper_included": hi_hit}


def properties(act: Activation, x: np.ndarray) -> dict[str, Any]:
    """One column of the comparison table, keyed as :data:`LABELS` (numbers as numbers).

    ``range`` and ``grid_range`` are ``{"lower", "upper"}`` (``range`` with whether each end is
    attained), ``minimum`` is ``{"value", "at"}``, ``saturates`` a list of such intervals. A
    property that cannot be computed is the string "not available (reason)".
    """
    y = np.asarray(act(x))
    dy = np.asarray(act.derivative(x))
    lo_inf, hi_inf = act.definition.limits(**act.params)[0]
    minimum = available(lambda: _minimum(act, x, y))
    finite = y[np.isfinite(y)]
    formula = act.definition.family == "expression"
    bounded = {(True, True): "both", (True, False): "below", (False, True): "above"}.get(
        (math.isfinite(lo_inf), math.isfinite(hi_inf)), "no"
    )
    at_minimum = minimum if isinstance(minimum, tuple) else None
    return {
        "range": available(lambda: _range(act, at_minimum)),
        "grid_range": (
            {"lower": float(finite.min()), "upper": float(finite.max())}
            if finite.size
            else "no finite values"
        ),
        "minimum": (
            {"value": minimum[0], "at": minimum[1]}
            if isinstance(minimum, tuple)
            else minimum or "at an edge"
        ),
        "monotonic": _monotonic(y),
        "bounded": "not derived for formulas" if formula else bounded,
        "gaussian_mean": available(lambda: gaussian_mean(act)),
        "smoothness": _smoothness(act),
        "f_at_0": float(act(0.0)),
        "f_prime_at_0": float(act.derivative(0.0)),
        "saturates": available(lambda: _saturation(act, x, dy)),
    }


def display(props: dict[str, Any]) -> dict[str, Any]:
    """:func:`properties` as a table shows them: label -> text (f(0) and f′(0) stay numbers)."""
    return {LABELS[key]: _cell(key, value) for key, value in props.items()}


def rows(columns: list[dict[str, Any]]) -> list[list[Any]]:
    """The properties table of ``compare``: one row per property, its label first, then one
    displayed cell per activation (each column a :func:`properties` result)."""
    shown = [display(props) for props in columns]
    return [[label, *(cells[label] for cells in shown)] for label in LABELS.values()]


def _cell(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return value
    if key == "range":
        left, right = (
            "[" if value["lower_included"] else "(",
            "]" if value["upper_included"] else ")",
        )
        return f"{left}{_bound(value['lower'])}, {_bound(value['upper'])}{right}"
    if key == "grid_range":
        return f"[{value['lower']:.6g}, {value['upper']:.6g}]"
    if key == "minimum":
        return f"{value['value']:.12g} at {value['at']:.12g}"
    if key == "gaussian_mean":
        return f"{value:.6g}"
    if key == "saturates":
        return saturation_text(value)
    return value


def saturation_text(intervals: list[dict[str, float]]) -> str:
    """``x < -3.81, x > 3.81``, ``everywhere`` or ``none``."""
    if not intervals:
        return "none"
    parts = []
    for part in intervals:
        if part["lower"] == -math.inf and part["upper"] == math.inf:
            return "everywhere"
        parts.append(
            f"x < {part['upper']:.3g}" if part["lower"] == -math.inf else f"x > {part['lower']:.3g}"
        )
    return ", ".join(parts)


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
