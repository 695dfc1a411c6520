"""Gaussian statistics of an activation: moments, dead and saturated fractions, init gain,
and the mean-field propagation of variance and gradients through a stack of layers.

For z ~ N(μ, σ²) every expectation is an integral against the normal density, computed by
adaptive Gauss–Legendre quadrature over μ ± 40σ, split at the activation's kinks so that each
piece is smooth, with the activation evaluated on whole arrays of nodes (a thousand points take
the time of a few scalar calls): ≤ 1e−12 relative, checked against mpmath.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import elementary as el
from actcli.catalog.binding import Activation
from actcli.errors import DataError, UsageError
from actcli.formats import Table

if TYPE_CHECKING:
    from actcli.plotting import Panel

SATURATION = 1e-3  # |f′| below this counts as saturated (stats --eps, compare, info)
SPAN = 40.0  # beyond 40σ the normal density is below 1e−348: nothing left to integrate
MAX_LAYERS = 10_000

# torch.nn.init.calculate_gain, for comparison (torch/nn/init.py)
TORCH_GAIN: dict[str, Callable[[Activation], float]] = {
    "identity": lambda a: 1.0,
    "sigmoid": lambda a: 1.0,
    "tanh": lambda a: 5.0 / 3.0,
    "relu": lambda a: math.sqrt(2.0),
    "leaky_relu": lambda a: math.sqrt(2.0 / (1.0 + float(a.params["negative_slope"]) ** 2)),
    "selu": lambda a: 3.0 / 4.0,
}
TORCH_GAIN_NOTES = {
    "tanh": "torch's 5/3 is an empirical choice, not 1/√E[f²]",
    "selu": "torch's 3/4 was chosen empirically (pytorch#50664); the SELU paper implies 1",
    "sigmoid": "torch returns 1 for sigmoid without a derivation",
}


@dataclass
class Moments:
    mean: float  # E[f(z)]
    second: float  # E[f(z)²]
    variance: float
    d_mean: float  # E[f′(z)]
    d_second: float  # E[f′(z)²]
    dead: float  # P(f′(z) = 0 exactly)
    saturated: float  # P(|f′(z)| < eps)
    gain: float  # 1/√E[f²]


def _breakpoints(act: Activation, lo: float, hi: float) -> list[float]:
    return sorted(k for k in act.kinks if lo < k < hi)


ORDER = 10  # Gauss–Legendre points per interval (exact for polynomials of degree 19)
EPSREL = 1e-14  # per interval, relative to ∫|g|·φ: the sum meets 1e-12 with room to spare
MAX_INTERVALS = 4000


@functools.cache
def _gauss_legendre() -> tuple[np.ndarray, np.ndarray]:
    from numpy.polynomial.legendre import leggauss

    nodes, weights = leggauss(ORDER)
    return nodes, weights


def _gauss_weights(u: np.ndarray) -> np.ndarray:
    density: np.ndarray = el.exp(-0.5 * u * u) / math.sqrt(2.0 * math.pi)
    return density


def expect(
    act: Activation, g: Callable[[np.ndarray], np.ndarray], mean: float, std: float
) -> float:
    """E[g(z)] for z ~ N(mean, std²), g piecewise smooth with breaks at the kinks.

    Integrated over u = (z − μ)/σ ∈ [−40, 40], split at the kinks and at 0, so that a small σ
    next to a large μ cannot collapse the interval. Each piece is integrated by adaptive
    Gauss–Legendre quadrature: an interval is accepted when its rule and the rule on its two
    halves agree to within its share of the tolerance, otherwise both halves go on; all open
    intervals are evaluated in one call of ``g`` (an array of z) per round. A quadrature that
    cannot reach its tolerance, or meets a value that is not finite (a formula that overflows
    or is undefined there), is a DataError rather than a quietly worse number.
    """
    kinks = sorted({(k - mean) / std for k in act.kinks if abs(k - mean) < SPAN * std})
    edges = np.array(sorted({-SPAN, 0.0, *kinks, SPAN}))
    nodes, weights = _gauss_legendre()
    where = f"E[·] for z ~ N({mean:g}, {std:g}²)"

    def rule(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gauss–Legendre on each [lo, hi]: ∫ g(z)φ(u) du and ∫ |g(z)|φ(u) du."""
        half = 0.5 * (hi - lo)[:, None]
        u = 0.5 * (hi + lo)[:, None] + half * nodes
        values = np.asarray(g(mean + std * u), dtype=np.float64).reshape(u.shape)
        bad = ~np.isfinite(values)
        if bad.any():
            at, value = float((mean + std * u)[bad][0]), float(values[bad][0])
            raise DataError(f"{where} is not finite: the integrand is {value} at z = {at:.6g}")
        terms = values * _gauss_weights(u) * (half * weights)
        # mirror nodes added first: the two halves of a symmetric split then give sums that
        # are exact negatives for an odd f (tanh's E[f(z)] is 0, not 1e−17)
        pairs = terms[:, : ORDER // 2] + terms[:, : ORDER // 2 - 1 : -1]
        return pairs.sum(axis=1), np.abs(terms).sum(axis=1)

    lo, hi = edges[:-1], edges[1:]
    piece = np.arange(len(lo))
    length = hi - lo
    accepted: list[np.ndarray] = []
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            coarse, _ = rule(lo, hi)
            scale: np.ndarray | None = None
            while lo.size:
                if lo.size > MAX_INTERVALS:
                    raise DataError(f"{where} does not converge to 1e-12 (too many subintervals)")
                mid = 0.5 * (lo + hi)
                left, left_abs = rule(lo, mid)
                right, right_abs = rule(mid, hi)
                fine = left + right
                if scale is None:  # first round: the intervals are the pieces themselves
                    scale = left_abs + right_abs
                # its share of the piece's tolerance, or its own relative one where the
                # integrand peaks (a share there would ask for less than rounding allows)
                share = scale[piece] * (hi - lo) / length[piece]
                budget = EPSREL * np.maximum(share, left_abs + right_abs)
                done = np.abs(fine - coarse) <= budget
                accepted.append(fine[done])
                keep = ~done
                lo, mid, hi, piece = lo[keep], mid[keep], hi[keep], piece[keep]
                lo, hi = np.concatenate([lo, mid]), np.concatenate([mid, hi])
                coarse = np.concatenate([left[keep], right[keep]])
                piece = np.concatenate([piece, piece])
        except FloatingPointError as exc:
            raise DataError(f"{where} is not finite ({exc})") from None
    total = math.fsum(np.concatenate(accepted).tolist())
    if not math.isfinite(total):
        raise DataError(f"{where} is not finite")
    return total


def _scalar(act: Activation, order: int) -> Callable[[np.ndarray], np.ndarray]:
    if order == 0:
        return lambda t: np.asarray(act(t))
    return lambda t: np.asarray(act.derivative(t, order))


def _normal_cdf(t: float, mean: float, std: float) -> float:
    return 0.5 * math.erfc(-(t - mean) / (std * math.sqrt(2.0)))


def _probability(
    act: Activation, flat: Callable[[np.ndarray], np.ndarray], mean: float, std: float
) -> float:
    """P(flat(f′(z))) by locating the edges of the flat set and summing normal masses."""
    lo, hi = mean - SPAN * std, mean + SPAN * std
    x = np.linspace(lo, hi, 200_001)
    x = np.unique(np.concatenate([x, _breakpoints(act, lo, hi)]))
    inside = flat(np.asarray(act.derivative(x)))
    total = 0.0
    changes = np.flatnonzero(np.diff(inside.astype(np.int8)))
    start = lo if inside[0] else None
    for i in changes:
        edge = _refine(act, flat, float(x[i]), float(x[i + 1]))
        if start is None:
            start = edge
        else:
            total += _normal_cdf(edge, mean, std) - _normal_cdf(start, mean, std)
            start = None
    if start is not None:
        total += 1.0 - _normal_cdf(start, mean, std)
    if inside[0]:
        total += _normal_cdf(lo, mean, std)  # the (negligible) mass below μ − 40σ
    return total


def _refine(act: Activation, flat: Callable[[np.ndarray], np.ndarray], a: float, b: float) -> float:
    """The edge of the flat set between a and b (exact at kinks)."""
    return edge(lambda t: flat(np.asarray(act.derivative(t))), a, b)


def edge(test: Callable[[np.ndarray], np.ndarray], a: float, b: float, points: int = 512) -> float:
    """Where the vectorised boolean ``test`` changes between a and b, to the last bit.

    Multisection: each round tests ``points`` points of the bracket in one call and keeps the
    two around the first change, so 52 bits take 6 rounds instead of 52 scalar bisections.
    """
    start = bool(test(np.array([a]))[0])
    while True:
        x = np.linspace(a, b, points + 2)[1:-1]
        x = x[(x > a) & (x < b)]
        if not x.size:
            return 0.5 * (a + b) + 0.0  # + 0.0: a minimum at −0.0 is at 0
        same = np.asarray(test(x)) == start
        k = int(np.argmin(same)) if not same.all() else x.size
        a, b = (float(x[k - 1]) if k else a), (float(x[k]) if k < x.size else b)


def moments(
    act: Activation, mean: float = 0.0, std: float = 1.0, eps: float = SATURATION
) -> Moments:
    """The statistics of ``stats`` for z ~ N(mean, std²)."""
    if act.kind != "elementwise":
        raise UsageError(f"stats takes an elementwise activation; {act.name} is a vector one")
    if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
        raise UsageError(
            f"{{0}} must be finite and {{1}} finite and > 0, got mean {mean}, std {std}",
            option=("mean", "std"),
        )
    if not (abs(mean) <= 1e100 and 1e-10 * max(1.0, abs(mean)) <= std <= 1e100):
        raise UsageError(
            f"{std:g} is outside [1e-10·max(1, |mean|), 1e100]: the input would be a "
            "constant (use eval) or beyond what the quadrature resolves",
            option="std",
        )
    if not eps > 0:
        raise UsageError(f"must be > 0, got {eps}", option="eps")
    f, d1 = _scalar(act, 0), _scalar(act, 1)
    m1 = expect(act, f, mean, std)
    m2 = expect(act, lambda t: f(t) ** 2, mean, std)
    variance = expect(act, lambda t: (f(t) - m1) ** 2, mean, std)  # two-pass: no cancellation
    dead = _probability(act, lambda d: d == 0.0, mean, std)
    saturated = _probability(act, lambda d: np.abs(d) < eps, mean, std)
    return Moments(
        mean=m1,
        second=m2,
        variance=variance,
        d_mean=expect(act, d1, mean, std),
        d_second=expect(act, lambda t: d1(t) ** 2, mean, std),
        dead=dead,
        saturated=saturated,
        gain=1.0 / math.sqrt(m2) if m2 > 0 else math.inf,
    )


@dataclass
class Layer:
    index: int
    q: float  # pre-activation variance entering the layer
    mean: float  # E[f] of its outputs
    chi: float  # gain²·E[f′²]: the backward factor of this layer
    gradient: float  # product of chi up to here: how a gradient's variance scales


def propagate(act: Activation, layers: int, gain: float, q0: float = 1.0) -> list[Layer]:
    """Mean-field recursion for a deep net of width → ∞ with weights of variance gain²/fan-in.

    q_{l+1} = gain²·E[f(√q_l z)²], χ_l = gain²·E[f′(√q_l z)²]: gradients shrink (χ < 1) or
    explode (χ > 1) by the product of the χ_l (Poole et al. 2016; Schoenholz et al. 2017).
    """
    if not 1 <= layers <= MAX_LAYERS:
        raise UsageError(f"must be between 1 and {MAX_LAYERS}, got {layers}", option="layers")
    f, d1 = _scalar(act, 0), _scalar(act, 1)
    out = []
    q, gradient = q0, 1.0
    for i in range(1, layers + 1):
        std = math.sqrt(q) if math.isfinite(q) and q > 0 else math.nan
        if not 1e-150 < std < 1e100:  # the variance left any range worth integrating over
            out.append(Layer(i, q, math.nan, math.nan, math.nan))
            q = math.nan
            continue
        second = expect(act, lambda t: f(t) ** 2, 0.0, std)
        chi = gain**2 * expect(act, lambda t: d1(t) ** 2, 0.0, std)
        gradient *= chi
        out.append(Layer(i, q, expect(act, f, 0.0, std), chi, gradient))
        q = gain**2 * second
    return out


@dataclass
class Report:
    """What ``stats`` reports: the moments for z ~ N(mean, std²) and, with ``layers``, the
    mean-field recursion through them (:func:`report` builds it).

    :meth:`table` is what ``--format table|csv|tsv`` prints (the moments, or the layers with
    the moments in its metadata); :meth:`document` what ``--format json`` prints.
    """

    act: Activation
    mean: float
    std: float
    eps: float
    moments: Moments
    gain: float | None = None  # the weight gain of the recursion (default 1/√E[f²])
    layers: list[Layer] | None = None

    @property
    def torch_gain(self) -> float | None:
        """torch.nn.init.calculate_gain's value for this activation, where torch has one."""
        torch_gain = TORCH_GAIN.get(self.act.name)
        return torch_gain(self.act) if torch_gain else None

    def meta(self) -> dict[str, Any]:
        act, m = self.act, self.moments
        meta: dict[str, Any] = {
            "activation": act.name,
            "spec": act.spec,
            "params": dict(act.params),
            "dialect": act.dialect,
            "mean": self.mean,
            "std": self.std,
            "eps": self.eps,
            "moments": {**dataclasses.asdict(m), "torch_gain": self.torch_gain},
            "caption": TORCH_GAIN_NOTES.get(act.name),
        }
        if self.layers is not None:
            meta["gain"] = self.gain
            meta["caption"] = (
                "q: pre-activation variance; mean: E[f]; chi: gain²·E[f′²]; gradient: Π chi"
            )
        return meta

    def table(self) -> Table:
        act, m = self.act, self.moments
        if self.layers is not None:
            return Table(
                ["layer", "q", "mean", "chi", "gradient"],
                [[t.index, t.q, t.mean, t.chi, t.gradient] for t in self.layers],
                title=f"{act.spec}: {len(self.layers)} layers with gain {self.gain:.6g} · "
                f"dialect {act.dialect}",
                meta=self.meta(),
                inputs=1,
            )
        torch_value = self.torch_gain
        rows: list[list[Any]] = [
            ["E[f(z)]", m.mean],
            ["Var[f(z)]", m.variance],
            ["E[f(z)²]", m.second],
            ["E[f′(z)]", m.d_mean],
            ["E[f′(z)²]", m.d_second],
            ["P(f′(z) = 0)  dead", m.dead],
            [f"P(|f′(z)| < {self.eps:g})  saturated", m.saturated],
            ["gain 1/√E[f²]", m.gain],
            ["torch calculate_gain", "—" if torch_value is None else torch_value],
        ]
        title = f"{act.spec} for z ~ N({self.mean:g}, {self.std:g}²) · dialect {act.dialect}"
        return Table(["quantity", "value"], rows, title=title, meta=self.meta())

    def panel(self) -> Panel:
        """``stats --layers -o``'s figure: q and the gradient factor against the layer index,
        on a log axis when they span decades (a vanishing or exploding gradient does)."""
        from actcli import curves
        from actcli.plotting import Panel

        trace = self.layers or []
        x = np.array([float(t.index) for t in trace])

        def line(label: str, key: str, values: list[float]) -> curves.Curve:
            return curves.Curve(label, key, 0, [curves.Piece(x, np.array(values, dtype=float))])

        lines = [
            line("q (variance)", "q", [t.q for t in trace]),
            line("gradient factor", "g", [t.gradient for t in trace]),
        ]
        values = np.concatenate([c.y for c in lines])
        finite = values[np.isfinite(values)]
        decades = finite.size and finite.min() > 0 and finite.max() / finite.min() > 100
        return Panel(lines, x, xlabel="layer", yscale="log" if decades else None)

    def document(self) -> dict[str, Any]:
        """The JSON document: the table's metadata, its columns, and its rows as objects."""
        table = self.table()
        return {
            **table.meta,
            "columns": table.columns,
            "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows],
        }


def report(
    act: Activation,
    mean: float = 0.0,
    std: float = 1.0,
    eps: float = SATURATION,
    layers: int | None = None,
    gain: float | None = None,
) -> Report:
    """The statistics of ``stats``: :func:`moments` for z ~ N(mean, std²) and, with ``layers``,
    :func:`propagate` through that many layers with weights of ``gain`` (default 1/√E[f²],
    the variance-preserving one) from q = std²."""
    m = moments(act, mean, std, eps)
    if layers is None:
        return Report(act, mean, std, eps, m)
    weight = m.gain if gain is None else gain
    if not 0 < weight <= 1e6:
        given = f"--gain {weight:g}" if gain is not None else f"the gain 1/√E[f²] = {weight:g}"
        raise UsageError(f"{given} is outside (0, 1e6]: give --gain")
    return Report(act, mean, std, eps, m, weight, propagate(act, layers, weight, q0=std * std))
