"""What a plot shows, computed without any plotting library: curves, their pieces, kink dots.

A :class:`Curve` is one function (f, f′ or f″ of one activation) on a grid, cut into
:class:`Piece` s wherever it jumps, so that no renderer joins a jump with a slanted line. At
every jump the dialect's value *at* the point is a filled dot and the one-sided limits are open
dots. NaN values stay NaN: renderers draw them as gaps.

Every kink inside the range is a grid point of every curve, so a corner is drawn as a corner
at any number of steps (relu on a 2-point grid still has its vertex at 0).

Vector activations are shown along one input: ``softmax`` as the components of
softmax([x, *others]) as x varies, the gated family along the gate with the other half fixed
at 1 (``glu([1, x]) = σ(x)``, ``reglu([x, 1]) = relu(x)``); their labels say so.

A :class:`Label` says what was drawn: the name, every parameter the user set (a default
too), the dialect when a figure mixes them; derivatives put the prime on the name
(``leaky_relu′ (negative_slope=0.1)``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from actcli import inputs
from actcli.catalog.binding import Activation
from actcli.catalog.records import KinkPoint
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.families import Member
    from actcli.plotting import Panel

GATED_FIRST = {"reglu", "geglu", "swiglu", "bilinear"}  # Shazeer: the first half is gated
MAX_STEPS = 1_000_000

# A figure is at most a few ten thousand pixels wide (40 megapixels); more points per curve
# draw the same line at many times the memory (a sweep of 8 members at 1e6 steps with f″:
# 1.7 GB and minutes). A piece keeps, per run of consecutive points, its first, last, lowest
# and highest point and its first nan (a gap stays a gap): the same envelope at any
# resolution up to BUCKETS columns. A vector activation is evaluated in blocks of rows whose
# Jacobian holds at most BLOCK_VALUES numbers.
BUCKETS = 8192
BLOCK_VALUES = 1 << 21

# --others: each value is one more curve (and legend entry) per activation, and f′ needs an
# n × n Jacobian per point: 20,000 values took 5.5 GB. A legend of more is unreadable anyway.
MAX_OTHERS = 32
MAX_OTHERS_VARIABLE = "ACTCLI_MAX_OTHERS"


@dataclass(frozen=True)
class Label:
    """How one activation is named in a legend.

    ``params`` are the parameters the user set, as written (a value equal to the default is
    still shown: the reader cannot know the default); ``dialect`` is set when a figure mixes
    dialects; ``custom`` is the user's own ``--label`` text, used as given.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()
    dialect: str = ""
    custom: str = ""

    @property
    def details(self) -> str:
        """`` (negative_slope=0.1, jax)``: what follows the name, or nothing."""
        shown = [f"{k}={v}" for k, v in self.params] + ([self.dialect] if self.dialect else [])
        return f" ({', '.join(shown)})" if shown else ""

    def of(self, order: int) -> str:
        """The label of f (order 0), f′ or f″."""
        prime = ("", "′", "″")[order]
        if self.custom:
            return self.custom + prime
        return f"{self.name}{prime}{self.details}"

    def of_component(self, inputs: str, component: int | None, derivative: bool) -> str:
        """A vector activation's output along x: ``softmax([x, 0])₀``, ``∂glu([1, x])/∂x``."""
        sub = "" if component is None else str(component).translate(_SUBSCRIPTS)
        head = (self.custom or f"{self.name}({inputs})") + sub
        return (f"∂{head}/∂x" if derivative else head) + ("" if self.custom else self.details)


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass
class Piece:
    """A run of the curve without jumps: x and y of the same length."""

    x: np.ndarray
    y: np.ndarray


@dataclass
class Curve:
    """One line of a plot."""

    label: str
    key: str  # curves with the same key (an activation's f, f′, f″) share a colour
    order: int  # 0: f, 1: f′, 2: f″
    pieces: list[Piece]
    filled: list[tuple[float, float]] = field(default_factory=list)  # the value at a jump
    hollow: list[tuple[float, float]] = field(default_factory=list)  # one-sided limits there
    shade: float | None = None  # a family member's place in its family, 0 to 1
    output: int = 0  # which output of a vector activation (its components get markers)

    @property
    def x(self) -> np.ndarray:
        """All x of the curve, pieces separated by NaN (for renderers without pieces)."""
        return _joined([p.x for p in self.pieces])

    @property
    def y(self) -> np.ndarray:
        return _joined([p.y for p in self.pieces])


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    out: list[np.ndarray] = []
    for i, part in enumerate(parts):
        if i:
            out.append(np.array([np.nan]))
        out.append(part)
    return np.concatenate(out) if out else np.array([])


def grid(a: float, b: float, steps: int) -> np.ndarray:
    """The x grid of a figure: inputs.grid(min, max, steps), the nearest doubles to the
    decimal grid points, after checking that a figure can show it."""
    a, b = inputs.finite_span(a, b)
    lo, hi = min(a, b), max(a, b)
    if max(abs(lo), abs(hi)) > 1e100:
        raise UsageError("beyond ±1e100 cannot be drawn (axes need a finite width)", option="range")
    if not hi - lo > 1e-9 * max(1.0, abs(lo), abs(hi)):
        raise UsageError(f"{a:g} {b:g} is empty or too narrow to draw", option="range")
    if not 2 <= steps <= MAX_STEPS:
        raise UsageError(f"must be between 2 and {MAX_STEPS}, got {steps}", option="steps")
    return inputs.grid(lo, hi, steps)


def max_others() -> int:
    """The most --others values (MAX_OTHERS, or the environment's ACTCLI_MAX_OTHERS)."""
    import os

    text = os.environ.get(MAX_OTHERS_VARIABLE, "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_OTHERS


def parse_others(text: str) -> list[float]:
    """``--others 0,1``: the fixed inputs of a vector activation besides x."""
    try:
        values = [float(t) for t in re.split(r"[,\s]+", text.strip()) if t]
    except ValueError:
        raise UsageError(
            f"expected numbers separated by commas, got {text!r}", option="others"
        ) from None
    limit = max_others()
    if len(values) > limit:
        raise UsageError(
            f"{len(values)} values; at most {limit}, a curve each ({MAX_OTHERS_VARIABLE} "
            "changes the limit)",
            option="others",
        )
    return values


def bucket_size(n: int) -> int:
    """Points per bucket when a curve of ``n`` points is thinned (1: kept whole)."""
    return max(1, -(-n // BUCKETS))


def thinned(x: np.ndarray, y: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """x and y with, of each run of ``size`` points, only the first, last, lowest, highest
    and first nan kept (see BUCKETS): the line drawn through them has the same envelope."""
    n = len(y)
    if size <= 1 or n <= 4 * size:
        return x, y
    runs = -(-n // size)
    flat = np.full(runs * size, np.nan)
    flat[:n] = y
    values = flat.reshape(runs, size)
    valid = (np.arange(runs * size) < n).reshape(runs, size)
    gap = np.isnan(values) & valid
    starts = np.arange(runs) * size
    keep = [
        starts,
        np.minimum(starts + size, n) - 1,
        starts + np.where(gap | ~valid, np.inf, values).argmin(axis=1),
        starts + np.where(gap | ~valid, -np.inf, values).argmax(axis=1),
        (starts + gap.argmax(axis=1))[gap.any(axis=1)],
    ]
    kept = np.unique(np.concatenate(keep))
    return x[kept], y[kept]


def curves(
    act: Activation,
    x: np.ndarray,
    max_order: int,
    others: list[float],
    label: Label | None = None,
    shade: float | None = None,
) -> list[Curve]:
    """f and its derivatives up to ``max_order`` (0, 1 or 2) as curves on the grid x.

    ``label`` names them (default: the activation's spec); derivatives add ′ and ″.
    ``shade`` places a family member in its family (0 to 1), for its colour.
    """
    name = label or Label(act.spec)
    if act.kind == "vector":
        drawn = _vector_curves(act, x, max_order, others, name)
    else:
        drawn = [_elementwise_curve(act, x, order, name) for order in range(max_order + 1)]
    for curve in drawn:
        curve.shade = shade
    return drawn


def with_kinks(act: Activation, x: np.ndarray) -> np.ndarray:
    """The grid x with every kink of ``act`` strictly inside it added: corners of f, f′, f″."""
    lo, hi = float(x[0]), float(x[-1])
    inside = [k.at for k in act.kink_points if lo < k.at < hi] if act.kind != "vector" else []
    return np.union1d(x, inside) if inside else x


def _elementwise_curve(act: Activation, x: np.ndarray, order: int, label: Label) -> Curve:
    lo, hi = float(x[0]), float(x[-1])
    x = with_kinks(act, x)
    breaks = [k for k in act.kink_points if lo < k.at < hi and k.jump_order <= order]

    def f(v: np.ndarray) -> np.ndarray:
        return np.asarray(act(v) if order == 0 else act.derivative(v, order), dtype=np.float64)

    pieces, filled, hollow = [], [], []
    size = bucket_size(len(x))
    edges = [lo, *[k.at for k in breaks], hi]
    for i in range(len(edges) - 1):
        left, right = edges[i], edges[i + 1]
        inner = x[(x > left) & (x < right)]
        xs = np.concatenate([[left], inner, [right]])
        ys = f(xs)
        # at a break, the piece ends at the one-sided limit, not at the value at the point
        if i > 0:
            ys[0] = _limit(f, breaks[i - 1], order, "right")
        if i < len(edges) - 2:
            ys[-1] = _limit(f, breaks[i], order, "left")
        pieces.append(Piece(*thinned(xs, ys, size)))
    for k in breaks:
        at = float(f(np.array([k.at]))[0])
        filled.append((k.at, at))
        for side in ("left", "right"):
            limit = _limit(f, k, order, side)
            if limit != at:
                hollow.append((k.at, limit))
    return Curve(label.of(order), label.of(0), order, pieces, filled, hollow)


def _limit(f: Callable[[np.ndarray], np.ndarray], kink: KinkPoint, order: int, side: str) -> float:
    """The one-sided limit of f (or f′, f″) at a kink: f's from the next double, the
    derivatives' from the kink record."""
    if order == 0:
        step = -math.inf if side == "left" else math.inf
        return float(f(np.array([np.nextafter(kink.at, step)]))[0])
    return float((kink.left if side == "left" else kink.right)[order - 1])


def _vector_curves(
    act: Activation, x: np.ndarray, max_order: int, others: list[float], label: Label
) -> list[Curve]:
    gated = act.definition.family == "gated"
    if gated:
        # the other half is 1; glu (torch convention) gates with the second half
        first = act.name in GATED_FIRST
        which = 0 if first else 1
        inputs = "[x, 1]" if first else "[1, x]"
    else:
        which = 0
        inputs = "[" + ", ".join(["x", *(f"{o:g}" for o in others)]) + "]"

    def rows(xs: np.ndarray) -> np.ndarray:
        if gated:
            ones = np.ones_like(xs)
            return np.column_stack([xs, ones] if first else [ones, xs])
        return np.column_stack([xs, *(np.full_like(xs, o) for o in others)])

    # in blocks of whole buckets, each thinned as it is computed: memory stays flat in the
    # steps and the Jacobian's n × n per point never exists for the whole grid
    width = 2 if gated else 1 + len(others)
    size = bucket_size(len(x))
    block = size * max(1, BLOCK_VALUES // (width * width * size))
    values: list[list[tuple[np.ndarray, np.ndarray]]] = []
    partials: list[list[tuple[np.ndarray, np.ndarray]]] = []
    for start in range(0, len(x), block):
        xs = x[start : start + block]
        v = rows(xs)
        y = np.asarray(act(v))
        jac = np.asarray(act.jacobian(v))[:, :, which] if max_order >= 1 else None
        if not values:
            values = [[] for _ in range(y.shape[-1])]
            partials = [[] for _ in range(y.shape[-1])]
        for i in range(y.shape[-1]):
            values[i].append(thinned(xs, y[:, i], size))
            if jac is not None:
                partials[i].append(thinned(xs, jac[:, i], size))

    def joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> Piece:
        return Piece(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))

    out = []
    n_out = len(values)
    for i in range(n_out):
        component = None if n_out == 1 else i  # 0-based, as the frameworks index
        name = label.of_component(inputs, component, derivative=False)
        out.append(Curve(name, name, 0, [joined(values[i])], output=i))
        if max_order >= 1:
            partial = label.of_component(inputs, component, derivative=True)
            out.append(Curve(partial, name, 1, [joined(partials[i])], output=i))
    return out


def y_limits(all_curves: list[Curve], x: np.ndarray) -> tuple[float, float]:
    """Limits that show every curve's shape: an unbounded one does not squash the others.

    Each curve's extent is measured; when the largest reaches far beyond the others (more
    than three times their typical extent and beyond the x-span), the limits are capped there.
    """
    highs, lows = [], []
    for c in all_curves:
        y = c.y[np.isfinite(c.y)]
        if y.size:
            highs.append(float(y.max()))
            lows.append(float(y.min()))
    if not highs:
        return -1.0, 1.0
    span = float(x[-1] - x[0])
    top = max(highs)
    if len(highs) > 1:
        typical = float(np.median(sorted(highs)[:-1]))  # the others' extent
        top = min(top, max(3 * abs(typical), span, 1.0))
    bottom = min(lows)
    if len(lows) > 1:
        typical = float(np.median(sorted(lows)[1:]))
        bottom = max(bottom, -max(3 * abs(typical), span, 1.0))
    bottom, top = min(bottom, 0.0), max(top, 0.0)
    pad = (0.06 * top - 0.06 * bottom) or 0.06  # (top − bottom itself may overflow)
    # matplotlib computes with the limits (margins, transforms): keep them a decade inside
    # the double range, where curves beyond it are drawn to the frame
    return max(bottom - pad, -Y_LIMIT), min(top + pad, Y_LIMIT)


Y_LIMIT = 1e307


def panels(
    chosen: list[Member], x: np.ndarray, derivative: int, others: str | None, grid: bool
) -> list[Panel]:
    """f (and f′, f″) of each activation, vector ones along one input with the others fixed:
    one panel, or one per activation (``grid``), or one per family when there are several
    (``plot``'s figure, for the command line and :func:`actcli.plot` alike)."""
    from actcli.plotting import Panel

    vectors = [m.act for m in chosen if m.act.kind == "vector"]
    if others is not None and not vectors:
        raise UsageError("--others is for vector activations (softmax, ...)")
    if vectors and derivative > 1:
        raise UsageError(f"{vectors[0].name}: vector activations show f and ∂f/∂x (-d), not -dd")
    extra = parse_others(others or "0")

    def drawn(members: list[Member]) -> list[Curve]:
        return [c for m in members for c in curves(m.act, x, derivative, extra, m.label, m.shade)]

    if grid:
        return [Panel(drawn([m]), x, title=m.label.of(0)) for m in chosen]
    groups = sorted({m.group for m in chosen})
    if len(groups) > 1 and any(m.shade is not None for m in chosen):
        families = [[m for m in chosen if m.group == g] for g in groups]
        return [Panel(drawn(f), x, title=f[0].act.name) for f in families]
    return [Panel(drawn(chosen), x)]
