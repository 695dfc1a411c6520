"""Gaussian statistics of an activation: moments, dead and saturated fractions, init gain,
and the mean-field propagation of variance and gradients through a stack of layers.

For z ~ N(μ, σ²) every expectation is an integral against the normal density, computed by
adaptive Gauss–Kronrod quadrature (scipy.integrate.quad) over μ ± 40σ, split at the
activation's kinks so that each piece is smooth: ≤ 1e−12 relative, checked against mpmath.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from actcli.catalog.registry import Activation
from actcli.errors import DataError, UsageError

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


def expect(
    act: Activation, g: Callable[[float], float], mean: float, std: float, strict: bool = True
) -> float:
    """E[g(z)] for z ~ N(mean, std²), g piecewise smooth with breaks at the kinks.

    Integrated over u = (z − μ)/σ ∈ [−40, 40], split at the kinks and at 0, so that a small σ
    next to a large μ cannot collapse the interval. ``strict``: a quadrature that cannot reach
    its tolerance (or overflows) is a DataError rather than a quietly worse number.
    """
    from scipy.integrate import IntegrationWarning, quad

    kinks = sorted({(k - mean) / std for k in act.kinks if abs(k - mean) < SPAN * std})
    edges = sorted({-SPAN, 0.0, *kinks, SPAN})
    norm = 1.0 / math.sqrt(2.0 * math.pi)

    def integrand(u: float) -> float:
        return g(mean + std * u) * norm * math.exp(-0.5 * u * u)

    total = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error" if strict else "ignore", IntegrationWarning)
        try:
            for a, b in itertools.pairwise(edges):
                value, _ = quad(integrand, a, b, epsabs=0.0, epsrel=1e-13, limit=400)
                total += value
        except (IntegrationWarning, OverflowError) as exc:
            reason = " ".join(str(exc).split(".")[0].split()) or type(exc).__name__
            raise DataError(
                f"E[·] for z ~ N({mean:g}, {std:g}²) does not converge to 1e-12 ({reason})"
            ) from None
    if not math.isfinite(total):
        raise DataError(f"E[·] for z ~ N({mean:g}, {std:g}²) is not finite")
    return total


def _scalar(act: Activation, order: int) -> Callable[[float], float]:
    if order == 0:
        return lambda t: float(act(t))
    return lambda t: float(act.derivative(t, order))


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
    """The edge of the flat set between a and b, by bisection (exact at kinks)."""
    fa = bool(flat(np.asarray(act.derivative(np.array([a]))))[0])
    for _ in range(100):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if bool(flat(np.asarray(act.derivative(np.array([m]))))[0]) == fa:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def moments(
    act: Activation, mean: float = 0.0, std: float = 1.0, eps: float = SATURATION
) -> Moments:
    """The statistics of ``stats`` for z ~ N(mean, std²)."""
    if act.kind != "elementwise":
        raise UsageError(f"stats takes an elementwise activation; {act.name} is a vector one")
    if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
        raise UsageError(
            f"--std must be finite and > 0 and --mean finite, got mean {mean}, std {std}"
        )
    if not (abs(mean) <= 1e100 and 1e-10 * max(1.0, abs(mean)) <= std <= 1e100):
        raise UsageError(
            f"--std {std:g} is outside [1e-10·max(1, |mean|), 1e100]: the input would be a "
            "constant (use eval) or beyond what the quadrature resolves"
        )
    if not eps > 0:
        raise UsageError(f"--eps must be > 0, got {eps}")
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
        raise UsageError(f"--layers must be between 1 and {MAX_LAYERS}, got {layers}")
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
