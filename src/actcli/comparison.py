"""What ``compare`` computes: properties side by side, and how far activations differ.

Every property is computed from the activation itself (its values, derivatives, kinks and
limits), or read from its record's declared range (``Activation.image``: the range, the global
minimum and maximum, boundedness), which tests/test_catalog_facts.py checks against the mpmath
oracle. None is typed by hand here.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from actcli.catalog.binding import Activation
from actcli.catalog.records import Bound, Range
from actcli.errors import DataError, UsageError
from actcli.formats import Table
from actcli.stats import SATURATION, edge, expect

if TYPE_CHECKING:
    from actcli.families import Member
    from actcli.plotting import Panel

METRICS = ("abs", "rel", "ulp")

# The properties' keys (JSON-friendly) and their labels in tables and text, in table order.
LABELS = {
    "range": "range",
    "grid_range": "on the grid",
    "minimum": "minimum",
    "maximum": "maximum",
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


def _grid_extremum(
    act: Activation, x: np.ndarray, y: np.ndarray, sign: float
) -> tuple[float, float] | None:
    """A formula's interior minimum (sign 1) or maximum (sign −1) on the grid, refined by
    bisection on f′ (None at an edge of the grid)."""
    finite = np.isfinite(y)
    if not finite.any():
        return None
    i = int(np.nanargmin(np.where(finite, sign * y, np.inf)))
    if i in (0, len(x) - 1):
        return None
    lo, hi = float(x[i - 1]), float(x[i + 1])
    d = act.derivative
    if not (sign * d(lo) < 0 < sign * d(hi)):
        return float(y[i]), float(x[i])  # flat or kinked extremum: the grid point is it
    at = edge(lambda t: sign * np.asarray(d(t)) < 0, lo, hi)
    return float(act(at)), at


def _stretch(act: Activation, value: float) -> dict[str, Any] | None:
    """The first stretch between kinks (or ±∞) on which f is ``value`` throughout, with
    whether its ends belong to it: where relu is 0 (x ≤ 0), relu6 is 6 (x ≥ 6)."""
    cuts = sorted(set(act.kinks))
    ends = [-math.inf, *cuts, math.inf]
    for lo, hi in itertools.pairwise(ends):
        if lo == -math.inf:
            inside = 0.0 if hi == math.inf else hi - 1.0
        else:
            inside = lo + 1.0 if hi == math.inf else 0.5 * (lo + hi)
        if float(act(inside)) != value:
            continue
        return {
            "lower": lo,
            "upper": hi,
            "lower_included": math.isfinite(lo) and float(act(lo)) == value,
            "upper_included": math.isfinite(hi) and float(act(hi)) == value,
        }
    return None


def _extreme(act: Activation, end: Bound, word: str) -> dict[str, Any] | str:
    """The minimum or maximum from the declared range: where f attains it (a point, or the
    stretch it holds on), or why there is none."""
    if not end.closed:
        if math.isinf(end.value):
            return f"none (unbounded {word})"
        return f"none ({end.value:.6g} is approached, never attained)"
    if end.at is not None:
        return {"value": end.value, "at": end.at}
    return {"value": end.value, "on": _stretch(act, end.value)}


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


def _range(image: Range) -> dict[str, Any]:
    """The hull of f's values and, as text, the union of its pieces (relu with a threshold and
    a cap: {0} ∪ (1, 6], not [0, 6])."""
    lo, hi = image.lower, image.upper
    return {
        "lower": lo.value,
        "upper": hi.value,
        "lower_included": lo.closed,
        "upper_included": hi.closed,
        "text": image.union,
    }


def properties(act: Activation, x: np.ndarray) -> dict[str, Any]:
    """One column of the comparison table, keyed as :data:`LABELS` (numbers as numbers).

    ``range`` and ``grid_range`` are ``{"lower", "upper"}`` (``range`` with whether each end is
    attained); ``minimum`` and ``maximum`` are the global ones, ``{"value", "at"}`` (or
    ``{"value", "on"}`` with the stretch f holds them on; for a formula, on the grid), or a
    string saying why there is none; ``saturates`` a list of intervals. A property that cannot
    be computed is the string "not available (reason)".
    """
    y = np.asarray(act(x))
    dy = np.asarray(act.derivative(x))
    finite = y[np.isfinite(y)]
    image = act.image
    extremes: dict[str, Any]
    if image is None:  # a formula in x: its extrema on the grid, nothing beyond
        not_derived = "not derived for formulas"
        extremes = {"range": not_derived, "bounded": not_derived}
        for key, sign in (("minimum", 1.0), ("maximum", -1.0)):
            found = available(functools.partial(_grid_extremum, act, x, y, sign))
            extremes[key] = (
                {"value": found[0], "at": found[1]}
                if isinstance(found, tuple)
                else found or "at an edge"
            )
    else:
        extremes = {
            "range": _range(image),
            "minimum": _extreme(act, image.lower, "below"),
            "maximum": _extreme(act, image.upper, "above"),
            "bounded": image.bounded,
        }
    return {
        "range": extremes["range"],
        "grid_range": (
            {"lower": float(finite.min()), "upper": float(finite.max())}
            if finite.size
            else "no finite values"
        ),
        "minimum": extremes["minimum"],
        "maximum": extremes["maximum"],
        "monotonic": _monotonic(y),
        "bounded": extremes["bounded"],
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
        if " ∪ " in value["text"]:  # several pieces: the hull would claim values f never takes
            return value["text"]
        left, right = (
            "[" if value["lower_included"] else "(",
            "]" if value["upper_included"] else ")",
        )
        return f"{left}{_bound(value['lower'])}, {_bound(value['upper'])}{right}"
    if key == "grid_range":
        return f"[{value['lower']:.6g}, {value['upper']:.6g}]"
    if key in ("minimum", "maximum"):
        if "at" in value:
            return f"{value['value']:.12g} at {value['at']:.12g}"
        return f"{value['value']:.12g} for {_stretch_text(value['on'])}"
    if key == "gaussian_mean":
        return f"{value:.6g}"
    if key == "saturates":
        return saturation_text(value)
    return value


def _stretch_text(on: dict[str, Any] | None) -> str:
    """``x ≤ 0``, ``x ≥ 6``, ``-1 ≤ x < 1``."""
    if on is None:
        return "a stretch between kinks"
    low = "≤" if on["lower_included"] else "<"
    high = "≤" if on["upper_included"] else "<"
    if on["lower"] == -math.inf:
        return f"x {high} {on['upper']:.6g}"
    if on["upper"] == math.inf:
        return f"x {'≥' if on['lower_included'] else '>'} {on['lower']:.6g}"
    return f"{on['lower']:.6g} {low} x {high} {on['upper']:.6g}"


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


def gap(ya: np.ndarray, yb: np.ndarray, metric: str) -> np.ndarray:
    """|ya − yb| pointwise in ``metric`` (abs, rel or ulp); NaN where either is not a number
    or both are the same infinity."""
    if metric not in METRICS:
        raise UsageError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 and inf − inf mean "no data"
        diff = np.abs(ya - yb)
        if metric == "rel":
            diff = diff / np.maximum(np.abs(ya), np.abs(yb))
            diff = np.where((ya == yb), 0.0, diff)
        elif metric == "ulp":
            diff = diff / np.spacing(np.maximum(np.abs(ya), np.abs(yb)))
            diff = np.where((ya == yb), 0.0, diff)
    return np.where(np.isfinite(diff), diff, np.nan)


def difference(a: Activation, b: Activation, x: np.ndarray, metric: str) -> Difference:
    """The largest difference between two activations on the grid, and where."""
    diff = gap(np.asarray(a(x)), np.asarray(b(x)), metric)
    if np.isnan(diff).all():
        return Difference(a.spec, b.spec, metric, math.nan, math.nan)
    i = int(np.nanargmax(diff))
    return Difference(a.spec, b.spec, metric, float(diff[i]), float(x[i]))


@dataclass
class Comparison:
    """What ``compare`` reports: built by :func:`compare`, computed when first asked for.

    :meth:`document` is what ``--format json`` prints, :meth:`tables` what ``--format table``
    draws (properties side by side, then each pair's largest difference), :meth:`curves` the
    values ``--format csv|tsv|jsonl`` stream, :meth:`notes` what goes to stderr beside them.
    """

    acts: list[Activation]
    labels: list[str]  # each activation's name in columns and tables
    x: np.ndarray
    metric: str

    @functools.cached_property
    def properties(self) -> list[dict[str, Any]]:
        """Each activation's :func:`properties` on the grid."""
        return [properties(a, self.x) for a in self.acts]

    @functools.cached_property
    def differences(self) -> list[Difference]:
        """Each pair's largest difference, named by their labels (which keep the dialects)."""
        named = list(zip(self.acts, self.labels, strict=True))
        return [
            dataclasses.replace(difference(a, b, self.x, self.metric), a=la, b=lb)
            for (a, la), (b, lb) in itertools.combinations(named, 2)
        ]

    @functools.cached_property
    def framework_errors(self) -> dict[str, list[dict[str, Any]]]:
        """Where a compared dialect's own framework is recorded off the exact function, by
        label: a porter's difference may be the framework's, not theirs. Only when dialects
        are compared."""
        from actcli import explain

        if len({a.dialect for a in self.acts}) < 2:
            return {}
        found = {}
        for act, label in zip(self.acts, self.labels, strict=True):
            errors = [e for e in explain.framework_errors(act) if act.dialect in e["frameworks"]]
            if errors:
                found[label] = errors
        return found

    def document(self) -> dict[str, Any]:
        """The JSON document (numbers as numbers; NaN and ±inf as the writer spells them)."""
        return {
            "range": [float(self.x[0]), float(self.x[-1])],
            "steps": len(self.x),
            "metric": self.metric,
            "properties": dict(zip(self.labels, self.properties, strict=True)),
            "differences": [dataclasses.asdict(d) for d in self.differences],
            "framework_errors": self.framework_errors,
        }

    def tables(self) -> list[Table]:
        """The properties table and, with two or more, the table of the largest differences."""
        x = self.x
        shown = [
            Table(
                ["property", *self.labels],
                rows(self.properties),
                title=f"properties on [{x[0]:g}, {x[-1]:g}]",
            )
        ]
        if self.differences:
            shown.append(
                Table(
                    ["a", "b", f"max {self.metric} difference", "at x"],
                    [[d.a, d.b, d.value, d.at] for d in self.differences],
                    title="differences",
                )
            )
        return shown

    def curves(self) -> tuple[Table, list[np.ndarray]]:
        """The values on the grid: a table with no rows (x, then one column per activation)
        and its one block of columns, for the streaming writers."""
        head = Table(["x", *self.labels], [], inputs=1)
        return head, [self.x, *(np.asarray(a(self.x)) for a in self.acts)]

    def notes(self) -> list[str]:
        """What the tables do not say: a dialect whose framework is itself off."""
        out = []
        for label, errors in self.framework_errors.items():
            places = "; ".join(f"{e['quantity']} {e['where']}" for e in errors)
            text = f"{label}: the framework itself is off the exact function: {places}"
            out.append(f"note: {text} (recorded; actcli info says why)")
        return out


def compare(
    acts: list[Activation], x: np.ndarray, metric: str = "abs", labels: list[str] | None = None
) -> Comparison:
    """Compare elementwise activations on the grid ``x``: their properties side by side and
    each pair's largest difference in ``metric`` (abs, rel or ulp). ``labels`` name them
    (default: :func:`actcli.families.labels`, the spec, with the dialect when they differ)."""
    from actcli import families

    check_elementwise(acts)
    if metric not in METRICS:
        raise UsageError(f"unknown metric {metric!r} (metrics: {', '.join(METRICS)})")
    names = families.labels(acts) if labels is None else list(labels)
    if len(names) != len(acts):
        raise UsageError(f"{len(names)} labels for {len(acts)} activations")
    return Comparison(list(acts), names, np.asarray(x, dtype=np.float64), metric)


def panels(chosen: list[Member], x: np.ndarray, grid: bool, metric: str | None) -> list[Panel]:
    """``compare -o``'s figure: the overlay (or with ``grid`` one panel each with f and f′),
    and with a ``metric`` the panel of each one's difference from the first in it: ULP and
    relative gaps on a log axis."""
    from actcli import curves
    from actcli.plotting import Panel

    def drawn(m: Member, order: int) -> list[curves.Curve]:
        return curves.curves(m.act, x, order, [], m.label, m.shade)

    if grid:
        panels = [Panel(drawn(m, 1), x, title=m.label.of(0)) for m in chosen]
    else:
        panels = [Panel([c for m in chosen for c in drawn(m, 0)], x)]
    if metric is not None and len(chosen) > 1:
        base = np.asarray(chosen[0].act(x))
        lines = [
            curves.Curve(
                m.label.of(0),
                m.label.of(0),
                0,
                [curves.Piece(x, gap(np.asarray(m.act(x)), base, metric))],
                shade=m.shade,
            )
            for m in chosen[1:]
        ]
        positive = any(bool(np.any(c.y > 0)) for c in lines)  # NaN compares False
        scale = "log" if metric != "abs" and positive else None
        what = {"abs": "|difference|", "rel": "relative difference", "ulp": "difference in ULP"}
        axis = {"abs": "|Δ|", "rel": "|Δ| / max(|a|, |b|)", "ulp": "ULP"}
        title = f"{what[metric]} from {chosen[0].label.of(0)}"
        panels.append(Panel(lines, x, title=title, ylabel=axis[metric], yscale=scale))
    return panels
