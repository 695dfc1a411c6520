"""High-precision reference ("oracle") for actcli's activation functions.

Independent of actcli: imports only mpmath and the standard library.  Every value is
computed from the defining formula (the papers and framework sources each record names)
at ``DPS`` significant decimal digits, with the input taken
as the exact binary64 number it is.

Conventions
-----------
* Parameters arrive as Python floats (or strings).  They are converted with
  ``mpf(float(value))``: the implementation receives the same double.  Only the fixed
  internal constants are exact: SELU alpha/scale (32-digit decimal literals), GELU-tanh
  sqrt(2/pi) (exact irrational) and 0.044715 (exact decimal), QuickGELU 1.702 (exact
  decimal).
* Derivatives are analytic, written in cancellation-free forms (sigma(-x) instead of
  1 - sigma(x), sech^2 instead of 1 - tanh^2, -tanh(z/2) instead of sigma(-z) - sigma(z),
  expm1, log1p, ...).  Where a formula cancels near 0 (tanh_shrink) the working precision
  is raised with the number of digits lost.
* At a kink the oracle returns the branch selected by the formula as written in the
  catalog (e.g. relu'(0) = 0, leaky_relu'(0) = 1, elu'(0) = alpha).  Tests should not
  compare derivatives at the kinks themselves (see :func:`kinks`).
* Results whose magnitude is below exp(-1e30) (e.g. sech^2(e^x) for large x) are returned
  as +-exp(-1e30): far below the double range, so only "tiny but not zero" is asserted.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mpmath import mp, mpf

DPS = 60
"""Working precision in significant decimal digits."""

# Exact constants (activation catalog section 5).
SELU_ALPHA = "1.6732632423543772848170429916717"
SELU_SCALE = "1.0507009873554804934193349852946"
GELU_KAPPA = "0.044715"
QUICK_GELU_SLOPE = "1.702"

MpfTriple = tuple[Any, Any, Any]


# ---------------------------------------------------------------------------
# cancellation-free primitives (call inside an mp.workdps context)
# ---------------------------------------------------------------------------

_EXP_FLOOR = -(mpf(10) ** 30)


def _exp(z: Any) -> Any:
    """exp(z); arguments below -1e30 are clamped (result still tiny and nonzero)."""
    if z < _EXP_FLOOR:
        z = _EXP_FLOOR
    return mp.exp(z)


def _sig(z: Any) -> Any:
    """Logistic sigmoid 1/(1+e^-z); relative accuracy for every z."""
    return 1 / (1 + _exp(-z))


def _tanh(z: Any) -> Any:
    if abs(z) > 1000:  # mpmath's tanh overflows an internal float for astronomically large z
        return mp.sign(z) * (1 - 2 * _exp(-2 * abs(z)))
    return mp.tanh(z)


def _sech2(z: Any) -> Any:
    """sech(z)^2 = 1 - tanh(z)^2 without cancellation."""
    e = _exp(-2 * abs(z))
    return 4 * e / (1 + e) ** 2


def _softplus(z: Any) -> Any:
    """log(1 + e^z)."""
    if z > 0:
        return z + mp.log1p(_exp(-z))
    return mp.log1p(_exp(z))


_HUGE = mpf(10) ** 100


def _erfc(z: Any) -> Any:
    """erfc(z); mpmath's erfc overflows an internal float for |z| ~ 1e154 and beyond."""
    if z > _HUGE:  # asymptotic series: relative error < 1/(2 z^2) = 1e-200
        return _exp(-z * z) / (z * mp.sqrt(mp.pi))
    if z < -_HUGE:
        return mpf(2)
    return mp.erfc(z)


def _erf(z: Any) -> Any:
    if abs(z) > _HUGE:
        return mp.sign(z) * (1 - _erfc(abs(z)))
    return mp.erf(z)


def _silu_triple(x: Any, beta: Any) -> MpfTriple:
    z = beta * x
    s, sm = _sig(z), _sig(-z)
    f = x * s
    d1 = s * (1 + z * sm)
    d2 = beta * s * sm * (2 - z * _tanh(z / 2))
    return f, d1, d2


def _gelu_exact_triple(x: Any) -> MpfTriple:
    cdf = _erfc(-x / mp.sqrt(2)) / 2
    pdf = _exp(-x * x / 2) / mp.sqrt(2 * mp.pi)
    return x * cdf, cdf + x * pdf, pdf * (2 - x * x)


def _gelu_tanh_triple(x: Any) -> MpfTriple:
    c = mp.sqrt(2 / mp.pi)
    k = mpf(GELU_KAPPA)
    u = c * (x + k * x**3)
    up = c * (1 + 3 * k * x * x)
    upp = 6 * c * k * x
    s, sm = _sig(2 * u), _sig(-2 * u)  # (1 + tanh u)/2 = sigma(2u)
    q = s * sm
    g1 = 2 * up * q
    g2 = 2 * upp * q - 4 * up * up * q * _tanh(u)
    return x * s, s + x * g1, 2 * g1 + x * g2


def _gelu_10(x: Any, p: dict[str, Any]) -> MpfTriple:
    # transformers 5.25.0 ClippedGELUActivation(min=-10, max=10): torch.clip(gelu(x), -10, 10)
    f, d1, d2 = _gelu_exact_triple(x)
    if f >= 10:
        return mpf(10), Z, Z
    return f, d1, d2  # gelu's minimum is -0.17: the lower clip never acts


def _k_gelu_10(p: dict[str, Any]) -> KinkList:
    with mp.workdps(DPS):
        return [(mp.findroot(lambda t: _gelu_exact_triple(t)[0] - 10, mpf(10)), 1)]


GELU_FAST_C = "0.7978845608"  # transformers 5.25.0 FastGELUActivation's literal


def _gelu_fast(x: Any, p: dict[str, Any]) -> MpfTriple:
    # 0.5 * input * (1.0 + torch.tanh(input * 0.7978845608 * (1.0 + 0.044715 * input * input)))
    c, k = mpf(GELU_FAST_C), mpf(GELU_KAPPA)
    u = c * x * (1 + k * x * x)
    up = c * (1 + 3 * k * x * x)
    upp = 6 * c * k * x
    s, sm = _sig(2 * u), _sig(-2 * u)
    q = s * sm
    g1 = 2 * up * q
    g2 = 2 * upp * q - 4 * up * up * q * _tanh(u)
    return x * s, s + x * g1, 2 * g1 + x * g2


def _is_tanh_approx(approximate: Any) -> bool:
    if isinstance(approximate, str):
        a = approximate.strip().lower()
        if a in ("tanh", "true", "1", "yes"):
            return True
        if a in ("none", "false", "0", "no", "exact", "erf"):
            return False
        raise ValueError(f"gelu: unknown approximate={approximate!r}")
    return bool(approximate)


def _gelu_triple(x: Any, approximate: Any) -> MpfTriple:
    return _gelu_tanh_triple(x) if _is_tanh_approx(approximate) else _gelu_exact_triple(x)


# ---------------------------------------------------------------------------
# elementwise activations: each returns (f, f', f'') as mpf
# ---------------------------------------------------------------------------

Z = mpf(0)
ONE = mpf(1)


def _step(x: Any, p: dict[str, Any]) -> MpfTriple:
    t = p["threshold"]
    f = Z if x < t else (p["value"] if x == t else ONE)
    return f, Z, Z


def _identity(x: Any, p: dict[str, Any]) -> MpfTriple:
    return x, ONE, Z


def _relu(x: Any, p: dict[str, Any]) -> MpfTriple:
    """keras's relu: min(x, max_value) above the threshold, slope·(x − threshold) below."""
    t, cap = p["threshold"], p["max_value"]
    if x <= t:
        return p["negative_slope"] * (x - t), p["negative_slope"], Z
    return (x, ONE, Z) if x < cap else (cap, Z, Z)


def _relu6(x: Any, p: dict[str, Any]) -> MpfTriple:
    if x <= 0:
        return Z, Z, Z
    if x >= 6:
        return mpf(6), Z, Z
    return x, ONE, Z


def _leaky(slope: Any, x: Any) -> MpfTriple:
    return (x, ONE, Z) if x >= 0 else (slope * x, slope, Z)


def _leaky_relu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _leaky(p["negative_slope"], x)


def _prelu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _leaky(p["weight"], x)


def _rrelu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _leaky((p["lower"] + p["upper"]) / 2, x)


def _threshold(x: Any, p: dict[str, Any]) -> MpfTriple:
    return (x, ONE, Z) if x > p["threshold"] else (p["value"], Z, Z)


def _hard_tanh(x: Any, p: dict[str, Any]) -> MpfTriple:
    lo, hi = p["min_val"], p["max_val"]
    if x <= lo:
        return lo, Z, Z
    if x >= hi:
        return hi, Z, Z
    return x, ONE, Z


def _hard_sigmoid_c(p: dict[str, Any]) -> Any:
    # c = 0.5/slope evaluated in float64, as the implementation does
    return mpf(0.5 / float(p["slope"]))


def _hard_sigmoid(x: Any, p: dict[str, Any]) -> MpfTriple:
    c = _hard_sigmoid_c(p)
    if x <= -c:
        return Z, Z, Z
    if x >= c:
        return ONE, Z, Z
    return (x + c) / (2 * c), 1 / (2 * c), Z


def _hard_silu(x: Any, p: dict[str, Any]) -> MpfTriple:
    if x <= -3:
        return Z, Z, Z
    if x >= 3:
        return x, ONE, Z
    return x * (x + 3) / 6, (2 * x + 3) / 6, ONE / 3


def _sqrt_softplus(x: Any, p: dict[str, Any]) -> MpfTriple:
    # transformers 5.25.0 SqrtSoftplusActivation: nn.functional.softplus(input).sqrt()
    s = _softplus(x)
    s1, s2 = _sig(x), _sig(x) * _sig(-x)
    r = mp.sqrt(s)
    return r, s1 / (2 * r), (2 * s * s2 - s1 * s1) / (4 * s * r)


def _xielu(x: Any, p: dict[str, Any]) -> MpfTriple:
    # transformers 5.25.0 XIELUActivation._xielu_python: torch.where(x > 0, alpha_p * x * x +
    # self.beta * x, (torch.expm1(torch.min(x, self.eps)) - x) * alpha_n + self.beta * x)
    ap, an, beta, eps = p["alpha_p"], p["alpha_n"], p["beta"], p["eps"]
    if x > 0:
        return ap * x * x + beta * x, 2 * ap * x + beta, 2 * ap
    m = min(x, eps)
    f = (mp.expm1(m) - x) * an + beta * x
    if x < eps:
        return f, an * mp.expm1(x) + beta, an * _exp(x)
    return f, beta - an, Z


def _laplace(x: Any, p: dict[str, Any]) -> MpfTriple:
    # transformers 5.25.0 LaplaceActivation: input = (input - mu).div(sigma * math.sqrt(2.0));
    # return 0.5 * (1.0 + torch.erf(input))
    mu, sigma = p["mu"], p["sigma"]
    w = (x - mu) / (sigma * mp.sqrt(2))
    f = _erfc(-w) / 2  # = (1 + erf(w))/2 without cancellation for w < 0
    if w > 5:  # 1 − erfc(w)/2 told from 1: the subtraction with as many more digits as
        tail = _erfc(w) / 2  # erfc(w) ≈ e^(−w²) has zeros (erfc itself at 60 digits)
        with mp.workdps(DPS + min(int(w * w / 2.3), 5000) + 10):
            f = 1 - tail
    d1 = _exp(-w * w) / (sigma * mp.sqrt(2 * mp.pi))
    return f, d1, -(x - mu) / (sigma * sigma) * d1


def _hard_mish(x: Any, p: dict[str, Any]) -> MpfTriple:
    # timm 1.0.31 timm/layers/activations.py: 0.5 * x * (x + 2).clamp(min=0, max=2)
    if x <= -2:
        return Z, Z, Z
    if x >= 0:
        return x, ONE, Z
    return x * (x + 2) / 2, x + 1, ONE


def _hard_shrink(x: Any, p: dict[str, Any]) -> MpfTriple:
    return (x, ONE, Z) if abs(x) > p["lambd"] else (Z, Z, Z)


def _soft_shrink(x: Any, p: dict[str, Any]) -> MpfTriple:
    lam = p["lambd"]
    if x > lam:
        return x - lam, ONE, Z
    if x < -lam:
        return x + lam, ONE, Z
    return Z, Z, Z


def _tanh_shrink(x: Any, p: dict[str, Any]) -> MpfTriple:
    extra = 0
    if x != 0 and abs(x) < 1:
        extra = int(-2 * mp.log10(abs(x))) + 10  # x - tanh x ~ x^3/3 loses ~2 log10(1/|x|) digits
    with mp.workdps(mp.dps + extra):
        t = _tanh(x)
        f = x - t
        d1 = t * t
        d2 = 2 * t * _sech2(x)
    return +f, +d1, +d2


def _sigmoid(x: Any, p: dict[str, Any]) -> MpfTriple:
    s, sm = _sig(x), _sig(-x)
    return s, s * sm, -s * sm * _tanh(x / 2)


def _log_sigmoid(x: Any, p: dict[str, Any]) -> MpfTriple:
    s, sm = _sig(x), _sig(-x)
    return -_softplus(-x), sm, -s * sm


def _tanh_act(x: Any, p: dict[str, Any]) -> MpfTriple:
    t, s2 = _tanh(x), _sech2(x)
    return t, s2, -2 * t * s2


def _softsign(x: Any, p: dict[str, Any]) -> MpfTriple:
    a = 1 + abs(x)
    return x / a, 1 / a**2, -2 * mp.sign(x) / a**3


def _softplus_act(x: Any, p: dict[str, Any]) -> MpfTriple:
    beta, thr = p["beta"], p["threshold"]
    z = beta * x
    if z > thr:
        return x, ONE, Z
    s, sm = _sig(z), _sig(-z)
    return _softplus(z) / beta, s, beta * s * sm


def _squareplus(x: Any, p: dict[str, Any]) -> MpfTriple:
    b = p["b"]
    r = mp.sqrt(x * x + b)
    if x >= 0:
        f = (x + r) / 2
        d1 = (1 + x / r) / 2
    else:
        f = b / (2 * (r - x))
        d1 = b / (2 * r * (r - x))
    return f, d1, b / (2 * r**3)


def _sparse_plus(x: Any, p: dict[str, Any]) -> MpfTriple:
    if x <= -1:
        return Z, Z, Z
    if x >= 1:
        return x, ONE, Z
    return (x + 1) ** 2 / 4, (x + 1) / 2, ONE / 2


def _sparse_sigmoid(x: Any, p: dict[str, Any]) -> MpfTriple:
    if x <= -1:
        return Z, Z, Z
    if x >= 1:
        return ONE, Z, Z
    return (x + 1) / 2, ONE / 2, Z


def _silu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _silu_triple(x, p["beta"])


def _mish(x: Any, p: dict[str, Any]) -> MpfTriple:
    sp = _softplus(x)
    t, s2 = _tanh(sp), _sech2(sp)
    s, sm = _sig(x), _sig(-x)
    return x * t, t + x * s2 * s, s2 * s * (2 - 2 * x * t * s + x * sm)


def _gelu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _gelu_triple(x, p["approximate"])


def _elu(x: Any, p: dict[str, Any]) -> MpfTriple:
    a = p["alpha"]
    if x > 0:
        return x, ONE, Z
    e = mp.exp(x)
    return a * mp.expm1(x), a * e, a * e


def _selu(x: Any, p: dict[str, Any]) -> MpfTriple:
    lam, alpha = mpf(SELU_SCALE), mpf(SELU_ALPHA)
    if x > 0:
        return lam * x, lam, Z
    e = mp.exp(x)
    return lam * alpha * mp.expm1(x), lam * alpha * e, lam * alpha * e


def _celu(x: Any, p: dict[str, Any]) -> MpfTriple:
    a = p["alpha"]
    if x > 0:
        return x, ONE, Z
    e = mp.exp(x / a)
    return a * mp.expm1(x / a), e, e / a


def _exponential(x: Any, p: dict[str, Any]) -> MpfTriple:
    e = mp.exp(x)
    return e, e, e


def _quick_gelu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return _silu_triple(x, mpf(QUICK_GELU_SLOPE))


def _squared_relu(x: Any, p: dict[str, Any]) -> MpfTriple:
    return (x * x, 2 * x, mpf(2)) if x > 0 else (Z, Z, Z)


def _star_relu(x: Any, p: dict[str, Any]) -> MpfTriple:
    s, b = p["scale"], p["bias"]
    return (s * x * x + b, 2 * s * x, 2 * s) if x > 0 else (b, Z, Z)


def _snake(x: Any, p: dict[str, Any]) -> MpfTriple:
    a = p["frequency"]
    sn, cs = mp.sin(a * x), mp.cos(a * x)
    # 1 + sin(2ax) = (sin ax + cos ax)^2
    return x + sn * sn / a, (sn + cs) ** 2, 2 * a * mp.cos(2 * a * x)


def _lisht(x: Any, p: dict[str, Any]) -> MpfTriple:
    t, s2 = _tanh(x), _sech2(x)
    return x * t, t + x * s2, 2 * s2 * (1 - x * t)


def _isru(x: Any, p: dict[str, Any]) -> MpfTriple:
    a = p["alpha"]
    r = 1 + a * x * x
    return x / mp.sqrt(r), r ** mpf(-1.5), -3 * a * x * r ** mpf(-2.5)


def _tanh_exp(x: Any, p: dict[str, Any]) -> MpfTriple:
    e = _exp(x)
    t = _tanh(e)
    # e*sech^2(e) and e^2*sech^2(e) formed as exp(x - 2e), exp(2x - 2e): no huge*tiny products
    w = 4 / (1 + _exp(-2 * e)) ** 2
    es2 = w * _exp(x - 2 * e)
    e2s2 = w * _exp(2 * x - 2 * e)
    return x * t, t + x * es2, es2 * (2 + x) - 2 * x * t * e2s2


def _serf(x: Any, p: dict[str, Any]) -> MpfTriple:
    sp = _softplus(x)
    s, sm = _sig(x), _sig(-x)
    er = _erf(sp)
    g = 2 / mp.sqrt(mp.pi) * _exp(-sp * sp)
    return x * er, er + x * g * s, g * s * (2 + x * (sm - 2 * sp * s))


def _elish(x: Any, p: dict[str, Any]) -> MpfTriple:
    if x >= 0:
        return _silu_triple(x, ONE)
    e, em = mp.exp(x), mp.expm1(x)
    s, sm = _sig(x), _sig(-x)
    return em * s, e * s + em * s * sm, e * s + 2 * e * s * sm - em * s * sm * _tanh(x / 2)


def _sine(x: Any, p: dict[str, Any]) -> MpfTriple:
    w = p["w0"]
    sn = mp.sin(w * x)
    return sn, w * mp.cos(w * x), -w * w * sn


def _gaussian(x: Any, p: dict[str, Any]) -> MpfTriple:
    g = _exp(-x * x)
    return g, -2 * x * g, (4 * x * x - 2) * g


def _bent_identity(x: Any, p: dict[str, Any]) -> MpfTriple:
    r = mp.sqrt(x * x + 1)
    return x * x / (2 * (r + 1)) + x, x / (2 * r) + 1, 1 / (2 * r**3)


# ---------------------------------------------------------------------------
# kinks: (point, order of the first discontinuous derivative: 0 = f itself)
# ---------------------------------------------------------------------------

KinkList = list[tuple[Any, int]]


def _k_none(p: dict[str, Any]) -> KinkList:
    return []


def _k_at(point: float, order: int) -> Callable[[dict[str, Any]], KinkList]:
    return lambda p: [(mpf(point), order)]


def _k_leaky(slope_of: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], KinkList]:
    return lambda p: [] if slope_of(p) == 1 else [(Z, 1)]


def _k_relu(p: dict[str, Any]) -> KinkList:
    t, cap = p["threshold"], p["max_value"]
    out: KinkList = []
    above = ONE if t < cap else Z  # the slope just above the threshold
    if t != 0 or p["negative_slope"] != above:  # f jumps at a threshold > 0 (from 0)
        out.append((t, 0 if t != 0 else 1))
    if t < cap and mp.isfinite(cap):  # a cap at or below the threshold is never reached
        out.append((cap, 1))
    return out


def _k_threshold(p: dict[str, Any]) -> KinkList:
    return [(p["threshold"], 1 if p["value"] == p["threshold"] else 0)]


def _k_step(p: dict[str, Any]) -> KinkList:
    return [(p["threshold"], 0)]


def _k_hard_tanh(p: dict[str, Any]) -> KinkList:
    return [(p["min_val"], 1), (p["max_val"], 1)]


def _k_hard_sigmoid(p: dict[str, Any]) -> KinkList:
    c = _hard_sigmoid_c(p)
    return [(-c, 1), (c, 1)]


def _k_shrink(order: int) -> Callable[[dict[str, Any]], KinkList]:
    def k(p: dict[str, Any]) -> KinkList:
        lam = p["lambd"]
        if lam == 0:
            return [] if order == 0 else [(Z, 1)]
        return [(-lam, order), (lam, order)]

    return k


def _k_softplus(p: dict[str, Any]) -> KinkList:
    if mp.isinf(p["threshold"]):
        return []
    return [(p["threshold"] / p["beta"], 0)]


def _k_elu(p: dict[str, Any]) -> KinkList:
    return [(Z, 1 if p["alpha"] != 1 else 2)]


def _k_star_relu(p: dict[str, Any]) -> KinkList:
    return [(Z, 2)]


# ---------------------------------------------------------------------------
# periodic zeros (analytic): zeros of f^(order) are (offset + k*pi)/w, k integer
# ---------------------------------------------------------------------------

PeriodicZeros = Callable[[dict[str, Any], int], "tuple[Any, Any] | None"]


def _pz_sine(p: dict[str, Any], order: int) -> tuple[Any, Any] | None:
    w = abs(p["w0"])
    # sin: k*pi/w ; cos: (pi/2 + k*pi)/w
    return ((Z if order != 1 else mp.pi / 2) / w, mp.pi / w)


def _pz_snake(p: dict[str, Any], order: int) -> tuple[Any, Any] | None:
    a = abs(p["frequency"])
    if order == 1:  # 1 + sin(2ax) = 0  <=>  ax = -pi/4 + k*pi
        return (-mp.pi / 4 / a, mp.pi / a)
    if order == 2:  # cos(2ax) = 0  <=>  ax = pi/4 + k*pi/2
        return (mp.pi / 4 / a, mp.pi / 2 / a)
    return None  # zeros of snake itself lie in [-1/a, 0]: found numerically


# ---------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Elementwise:
    fn: Callable[[Any, dict[str, Any]], MpfTriple]
    defaults: dict[str, Any] = field(default_factory=dict)
    kinks: Callable[[dict[str, Any]], KinkList] = _k_none
    periodic_zeros: PeriodicZeros | None = None
    # the limits at ±∞ are read at ±10**far (and ±10**(far/2)): √x needs more than 10**40
    far: int = 40


INF = float("inf")

ELEMENTWISE: dict[str, Elementwise] = {
    "step": Elementwise(_step, {"threshold": 0.0, "value": 1.0}, _k_step),
    "identity": Elementwise(_identity),
    "relu": Elementwise(
        _relu, {"negative_slope": 0.0, "max_value": INF, "threshold": 0.0}, _k_relu
    ),
    "relu6": Elementwise(_relu6, {}, lambda p: [(Z, 1), (mpf(6), 1)]),
    "leaky_relu": Elementwise(
        _leaky_relu, {"negative_slope": 0.01}, _k_leaky(lambda p: p["negative_slope"])
    ),
    "prelu": Elementwise(_prelu, {"weight": 0.25}, _k_leaky(lambda p: p["weight"])),
    "rrelu": Elementwise(
        _rrelu,
        {"lower": 0.125, "upper": 1.0 / 3.0},
        _k_leaky(lambda p: (p["lower"] + p["upper"]) / 2),
    ),
    "threshold": Elementwise(_threshold, {"threshold": 0.0, "value": 0.0}, _k_threshold),
    "hard_tanh": Elementwise(_hard_tanh, {"min_val": -1.0, "max_val": 1.0}, _k_hard_tanh),
    "hard_sigmoid": Elementwise(_hard_sigmoid, {"slope": 1.0 / 6.0}, _k_hard_sigmoid),
    "hard_silu": Elementwise(_hard_silu, {}, lambda p: [(mpf(-3), 1), (mpf(3), 1)]),
    "sqrt_softplus": Elementwise(_sqrt_softplus, far=100),
    "xielu": Elementwise(
        _xielu,
        {"alpha_p": 0.8, "alpha_n": 0.8, "beta": 0.5, "eps": -1e-6},
        lambda p: [(p["eps"], 1), (Z, 0)],
    ),
    "laplace": Elementwise(_laplace, {"mu": 0.707107, "sigma": 0.282095}),
    "hard_mish": Elementwise(_hard_mish, {}, lambda p: [(mpf(-2), 1), (Z, 2)]),
    "hard_shrink": Elementwise(_hard_shrink, {"lambd": 0.5}, _k_shrink(0)),
    "soft_shrink": Elementwise(_soft_shrink, {"lambd": 0.5}, _k_shrink(1)),
    "tanh_shrink": Elementwise(_tanh_shrink),
    "sigmoid": Elementwise(_sigmoid),
    "log_sigmoid": Elementwise(_log_sigmoid),
    "tanh": Elementwise(_tanh_act),
    "softsign": Elementwise(_softsign, {}, _k_at(0.0, 2)),
    "softplus": Elementwise(_softplus_act, {"beta": 1.0, "threshold": INF}, _k_softplus),
    "squareplus": Elementwise(_squareplus, {"b": 4.0}),
    "sparse_plus": Elementwise(_sparse_plus, {}, lambda p: [(mpf(-1), 2), (ONE, 2)]),
    "sparse_sigmoid": Elementwise(_sparse_sigmoid, {}, lambda p: [(mpf(-1), 1), (ONE, 1)]),
    "silu": Elementwise(_silu, {"beta": 1.0}),
    "mish": Elementwise(_mish),
    "gelu": Elementwise(_gelu, {"approximate": "none"}),
    "gelu_fast": Elementwise(_gelu_fast),
    "gelu_10": Elementwise(_gelu_10, {}, _k_gelu_10),
    "elu": Elementwise(_elu, {"alpha": 1.0}, _k_elu),
    "selu": Elementwise(_selu, {}, _k_at(0.0, 1)),
    "celu": Elementwise(_celu, {"alpha": 1.0}, _k_at(0.0, 2)),
    "exponential": Elementwise(_exponential),
    "quick_gelu": Elementwise(_quick_gelu),
    "squared_relu": Elementwise(_squared_relu, {}, _k_at(0.0, 2)),
    "star_relu": Elementwise(_star_relu, {"scale": 0.8944, "bias": -0.4472}, _k_star_relu),
    "snake": Elementwise(_snake, {"frequency": 1.0}, _k_none, _pz_snake),
    "lisht": Elementwise(_lisht),
    "isru": Elementwise(_isru, {"alpha": 1.0}),
    "tanh_exp": Elementwise(_tanh_exp),
    "serf": Elementwise(_serf),
    "elish": Elementwise(_elish, {}, _k_at(0.0, 2)),
    "sine": Elementwise(_sine, {"w0": 1.0}, _k_none, _pz_sine),
    "gaussian": Elementwise(_gaussian),
    "bent_identity": Elementwise(_bent_identity),
}

ALIASES: dict[str, str] = {
    "heaviside": "step",
    "linear": "identity",
    "hardtanh": "hard_tanh",
    "hardsigmoid": "hard_sigmoid",
    "hard_swish": "hard_silu",
    "hardswish": "hard_silu",
    "hardshrink": "hard_shrink",
    "softshrink": "soft_shrink",
    "tanhshrink": "tanh_shrink",
    "logsigmoid": "log_sigmoid",
    "soft_sign": "softsign",
    "swish": "silu",
    "exp": "exponential",
    "logistic": "sigmoid",
    "sqrtsoftplus": "sqrt_softplus",
}


def canonical(name: str) -> str:
    name = name.strip().lower().replace("-", "_")
    name = ALIASES.get(name, name)
    if name not in ELEMENTWISE and name not in VECTOR:
        raise KeyError(f"oracle has no activation {name!r}")
    return name


def _freeze(name: str, defaults: dict[str, Any], params: dict[str, Any]) -> tuple:
    unknown = set(params) - set(defaults)
    if unknown:
        raise TypeError(f"{name}: unknown parameter(s) {sorted(unknown)}")
    merged = {**defaults, **params}
    out = []
    for k in sorted(merged):
        v = merged[k]
        if isinstance(v, bool):
            v = str(v).lower()
        elif isinstance(v, (int, float)):
            v = float(v)
        out.append((k, v))
    return tuple(out)


def _thaw(key: tuple) -> dict[str, Any]:
    return {k: (mpf(v) if isinstance(v, float) else v) for k, v in key}


def params_key(name: str, **params: Any) -> tuple:
    """Hashable, defaults-merged parameter tuple for ``name``."""
    name = canonical(name)
    spec = ELEMENTWISE.get(name) or VECTOR[name]
    return _freeze(name, spec.defaults, params)


def names() -> list[str]:
    return sorted([*ELEMENTWISE, *VECTOR])


def defaults(name: str) -> dict[str, Any]:
    name = canonical(name)
    spec = ELEMENTWISE.get(name) or VECTOR[name]
    return dict(spec.defaults)


# ---------------------------------------------------------------------------
# elementwise evaluation
# ---------------------------------------------------------------------------


def _eval_uncached(name: str, key: tuple, x: float) -> MpfTriple:
    with mp.workdps(DPS):
        return ELEMENTWISE[name].fn(mpf(x), _thaw(key))


@functools.lru_cache(maxsize=1 << 15)
def _eval_cached(name: str, key: tuple, x: float) -> MpfTriple:
    return _eval_uncached(name, key, x)


def evaluate(name: str, x: float, **params: Any) -> MpfTriple:
    """(f(x), f'(x), f''(x)) as mpf for an elementwise activation; x a finite float."""
    name = canonical(name)
    key = params_key(name, **params)
    x = float(x)
    if not math.isfinite(x):
        if math.isnan(x):
            nan = mpf("nan")
            return nan, nan, nan
        return tuple(mpf(limit(name, k, x, **params)) for k in range(3))  # type: ignore[return-value]
    return _eval_cached(name, key, x)


def value(name: str, x: float, **params: Any) -> Any:
    """f(x) as an mpf (DPS digits)."""
    return evaluate(name, x, **params)[0]


def derivative(name: str, x: float, order: int = 1, **params: Any) -> Any:
    """f'(x) (order=1) or f''(x) (order=2) as an mpf."""
    if order not in (1, 2):
        raise ValueError("order must be 1 or 2")
    return evaluate(name, x, **params)[order]


def kinks(name: str, order: int = 1, **params: Any) -> tuple[float, ...]:
    """Sorted x positions where f (order 0), f or f' (order 1), or any of f, f', f''
    (order 2) is discontinuous, for the bound parameters."""
    name = canonical(name)
    spec = ELEMENTWISE[name]
    with mp.workdps(DPS):
        pts = spec.kinks(_thaw(params_key(name, **params)))
        return tuple(sorted({float(pt) for pt, o in pts if o <= order}))


@functools.cache
def _limit(name: str, key: tuple, order: int, sign: float) -> float:
    fn, exponent = ELEMENTWISE[name].fn, ELEMENTWISE[name].far
    p = _thaw(key)
    with mp.workdps(DPS):
        far = fn(sign * mpf(10) ** exponent, p)[order]
        near = fn(sign * mpf(10) ** (exponent // 2), p)[order]
        if abs(far) > mpf(10) ** 30:
            return math.copysign(INF, float(far))
        if abs(far) < mpf(10) ** -30:
            return 0.0
        ff, fn_ = float(far), float(near)
        if abs(ff - fn_) > 1e-15 * abs(ff):
            return math.nan  # no limit (oscillates)
        return ff


def limit(name: str, order: int, x: float, **params: Any) -> float:
    """Limit of f^(order) as x -> +inf (x > 0) or -inf (x < 0), as a float
    (+-inf for divergence, nan when there is no limit, e.g. sin)."""
    name = canonical(name)
    return _limit(name, params_key(name, **params), order, math.copysign(1.0, x))


# ---------------------------------------------------------------------------
# zeros (for exempting ill-conditioned points)
# ---------------------------------------------------------------------------


def scan_grid(lo: float = -40.0, hi: float = 40.0, step: float = 0.02) -> list[float]:
    """Uniform grid used by :func:`zeros_of_derivative` (same floats on every call, so
    tests that evaluate this grid share the oracle's cache)."""
    n = round((hi - lo) / step)
    return [(lo * (n - i) + hi * i) / n for i in range(n + 1)]


def _bisect(g: Callable[[float], Any], a: float, b: float) -> tuple[float, float]:
    ga = g(a)
    for _ in range(200):
        m = a + (b - a) / 2
        if m in (a, b):
            break
        gm = g(m)
        if gm == 0:
            return m, m
        if (gm > 0) == (ga > 0):
            a, ga = m, gm
        else:
            b = m
    return a, b


def _golden_min(g: Callable[[float], Any], a: float, b: float) -> float:
    invphi = (math.sqrt(5) - 1) / 2
    c, d = b - invphi * (b - a), a + invphi * (b - a)
    gc, gd = abs(g(c)), abs(g(d))
    for _ in range(120):
        if gc <= gd:
            b, d, gd = d, c, gc
            c = b - invphi * (b - a)
            gc = abs(g(c))
        else:
            a, c, gc = c, d, gd
            d = a + invphi * (b - a)
            gd = abs(g(d))
        if b - a <= 4 * math.ulp(max(abs(a), abs(b), 1e-300)):
            break
    return c if gc <= gd else d


@functools.cache
def _zeros(name: str, key: tuple, order: int, lo: float, hi: float) -> tuple[float, ...]:
    def g(x: float) -> Any:
        return _eval_uncached(name, key, x)[order]

    xs = scan_grid(lo, hi)
    gs = [_eval_cached(name, key, x)[order] for x in xs]
    roots: list[float] = []
    n = len(xs)
    for i in range(n - 1):
        a, b = gs[i], gs[i + 1]
        if a * b < 0:
            xa, xb = _bisect(g, xs[i], xs[i + 1])
            scale = max(abs(a), abs(b))
            if min(abs(g(xa)), abs(g(xb))) <= mpf("1e-6") * scale:
                roots.append(xa if abs(g(xa)) <= abs(g(xb)) else xb)
        elif a == 0 and i > 0 and gs[i - 1] * b < 0:
            roots.append(xs[i])
    # double roots (touching zero without a sign change)
    for i in range(1, n - 1):
        a, m, b = gs[i - 1], gs[i], gs[i + 1]
        if m == 0 or a * m <= 0 or m * b <= 0:
            continue
        if abs(m) < abs(a) and abs(m) <= abs(b):
            xm = _golden_min(g, xs[i - 1], xs[i + 1])
            if abs(g(xm)) <= mpf("1e-20") * max(abs(a), abs(b)):
                roots.append(xm)
    return tuple(sorted(r for r in set(roots) if abs(r) > 1e-9))


def zeros_of_derivative(
    name: str, order: int, lo: float = -40.0, hi: float = 40.0, **params: Any
) -> list[float]:
    """Zeros of f (order 0), f' (1) or f'' (2) in [lo, hi], excluding x = 0 (a zero at
    the origin is well conditioned: the input is exact and f^(order) ~ c*x^k there).
    Flat stretches where f^(order) is identically 0 are not zeros in this sense.
    Periodic activations use their analytic zeros."""
    name = canonical(name)
    key = params_key(name, **params)
    spec = ELEMENTWISE[name]
    if spec.periodic_zeros is not None:
        pz = spec.periodic_zeros(_thaw(key), order)
        if pz is not None:
            with mp.workdps(DPS):
                off, period = pz
                k0 = int(mp.ceil((lo - off) / period))
                k1 = int(mp.floor((hi - off) / period))
                zs = [float(off + k * period) for k in range(k0, k1 + 1)]
            return [z for z in zs if abs(z) > 1e-9]
    return list(_zeros(name, key, order, float(lo), float(hi)))


def near_zero(name: str, order: int, x: float, tol: float = 0.02, **params: Any) -> bool:
    """True when x is within tol of a zero of f^(order) (periodic activations: any zero on
    the real line; others: zeros in [-40, 40])."""
    name = canonical(name)
    key = params_key(name, **params)
    spec = ELEMENTWISE[name]
    if spec.periodic_zeros is not None and math.isfinite(x):
        pz = spec.periodic_zeros(_thaw(key), order)
        if pz is not None:
            with mp.workdps(DPS + 20):
                off, period = pz
                k = mp.nint((mpf(x) - off) / period)
                z = off + k * period
                return bool(abs(z) > 1e-9 and abs(mpf(x) - z) <= tol)
    zs = zeros_of_derivative(name, order, **params)
    return any(abs(x - z) <= tol for z in zs)


# ---------------------------------------------------------------------------
# vector activations (act on the whole list = the last axis)
# ---------------------------------------------------------------------------

Vec = list[Any]
Mat = list[list[Any]]


def _softmax_vec(z: Vec) -> Vec:
    m = max(z)
    e = [mp.exp(zi - m) for zi in z]
    s = mp.fsum(e)
    return [ei / s for ei in e]


def _rest_sums(p: Vec) -> Vec:
    """sum_{j != i} p_j for each i (1 - p_i without cancellation)."""
    return [mp.fsum(p[:i] + p[i + 1 :]) for i in range(len(p))]


def _softmax_jac(p: Vec, scale: Any) -> Mat:
    n = len(p)
    rest = _rest_sums(p)
    return [
        [scale * (p[i] * rest[i] if i == j else -p[i] * p[j]) for j in range(n)] for i in range(n)
    ]


def _v_softmax(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    t = P["temperature"]
    p = _softmax_vec([xi / t for xi in x])
    return p, _softmax_jac(p, 1 / t)


def _v_softmin(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    t = P["temperature"]
    q = _softmax_vec([-xi / t for xi in x])
    return q, _softmax_jac(q, -1 / t)


def _v_log_softmax(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    t = P["temperature"]
    z = [xi / t for xi in x]
    m = max(z)
    imax = z.index(m)
    e = [mp.exp(zi - m) for zi in z]
    # log(sum e) = log1p(sum of the others): y stays accurate where it is ~0
    log_s = mp.log1p(mp.fsum(e[:imax] + e[imax + 1 :]))
    y = [(zi - m) - log_s for zi in z]
    p = [mp.exp(yi) for yi in y]
    rest = _rest_sums(p)
    n = len(x)
    jac = [[(rest[i] if i == j else -p[j]) / t for j in range(n)] for i in range(n)]
    return y, jac


def _v_sparsemax(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    top = max(x)
    x = [xi - top for xi in x]  # shift-invariant; exact here, and keeps 1 + j·z meaningful
    zs = sorted(x, reverse=True)
    csum = Z
    k, ck = 0, Z
    for j, zj in enumerate(zs, start=1):
        csum += zj
        if 1 + j * zj > csum:
            k, ck = j, csum
    tau = (ck - 1) / k
    y = [max(xi - tau, Z) for xi in x]
    s = [1 if yi > 0 else 0 for yi in y]
    ns = sum(s)
    n = len(x)
    jac = [
        [mpf((1 if i == j else 0) * s[i]) - mpf(s[i] * s[j]) / ns for j in range(n)]
        for i in range(n)
    ]
    return y, jac


def _glu_family(gate: Callable[[Any], tuple[Any, Any]], gate_first: bool) -> Callable:
    """y_i = gate(u_i) * v_i; returns (value, jacobian) on halves [first, second].

    gate(u) -> (gate value, gate derivative).  torch-style glu gates the SECOND half
    (y = a * sigmoid(b)); the Shazeer-2020 variants gate the FIRST half (y = f(a) * b)."""

    def fn(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
        n = len(x)
        if n % 2:
            raise ValueError("GLU family needs an even last-axis length")
        h = n // 2
        a, b = x[:h], x[h:]
        y: Vec = []
        jac: Mat = []
        for i in range(h):
            row = [Z] * n
            if gate_first:
                gv, gd = gate(a[i])
                y.append(gv * b[i])
                row[i] = gd * b[i]
                row[h + i] = gv
            else:
                gv, gd = gate(b[i])
                y.append(a[i] * gv)
                row[i] = gv
                row[h + i] = a[i] * gd
            jac.append(row)
        return y, jac

    return fn


def _g_sigmoid(u: Any) -> tuple[Any, Any]:
    s = _sig(u)
    return s, s * _sig(-u)


def _g_relu(u: Any) -> tuple[Any, Any]:
    return (u, ONE) if u > 0 else (Z, Z)


def _g_silu(u: Any) -> tuple[Any, Any]:
    f, d1, _ = _silu_triple(u, ONE)
    return f, d1


def _g_identity(u: Any) -> tuple[Any, Any]:
    return u, ONE


def _v_geglu(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    def gate(u: Any) -> tuple[Any, Any]:
        f, d1, _ = _gelu_triple(u, P["approximate"])
        return f, d1

    return _glu_family(gate, True)(x, P)


def _v_standardize(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    n = len(x)
    mu = mp.fsum(x) / n
    d = [xi - mu for xi in x]
    var = mp.fsum(di * di for di in d) / n
    s = mp.sqrt(var + P["epsilon"])
    y = [di / s for di in d]
    jac = [
        [((1 if i == j else 0) - mpf(1) / n) / s - d[i] * d[j] / (n * s**3) for j in range(n)]
        for i in range(n)
    ]
    return y, jac


def _v_normalize(x: Vec, P: dict[str, Any]) -> tuple[Vec, Mat]:
    p, eps = P["p"], P["eps"]
    n = len(x)
    if mp.isinf(p):
        raise ValueError("oracle: normalize supports finite p only")
    powers = [abs(xi) ** p for xi in x]
    norm = mp.fsum(powers) ** (1 / p)
    if norm > eps:
        y = [xi / norm for xi in x]
        g = [mp.sign(xj) * abs(xj) ** (p - 1) / norm ** (p - 1) for xj in x]  # d||x||/dx_j
        rest = _rest_sums(powers)  # diagonal: (||x||^p - |x_i|^p) / ||x||^(p+1)
        jac = [
            [rest[i] / norm ** (p + 1) if i == j else -x[i] * g[j] / norm**2 for j in range(n)]
            for i in range(n)
        ]
    else:
        y = [xi / eps for xi in x]
        jac = [[mpf(1 if i == j else 0) / eps for j in range(n)] for i in range(n)]
    return y, jac


@dataclass(frozen=True)
class Vector:
    fn: Callable[[Vec, dict[str, Any]], tuple[Vec, Mat]]
    defaults: dict[str, Any] = field(default_factory=dict)
    halves: bool = False  # output length n/2 (GLU family)


VECTOR: dict[str, Vector] = {
    "softmax": Vector(_v_softmax, {"temperature": 1.0}),
    "log_softmax": Vector(_v_log_softmax, {"temperature": 1.0}),
    "softmin": Vector(_v_softmin, {"temperature": 1.0}),
    "sparsemax": Vector(_v_sparsemax),
    "glu": Vector(_glu_family(_g_sigmoid, False), halves=True),
    "reglu": Vector(_glu_family(_g_relu, True), halves=True),
    "geglu": Vector(_v_geglu, {"approximate": "none"}, halves=True),
    "swiglu": Vector(_glu_family(_g_silu, True), halves=True),
    "bilinear": Vector(_glu_family(_g_identity, True), halves=True),
    "standardize": Vector(_v_standardize, {"epsilon": 1e-5}),
    "normalize": Vector(_v_normalize, {"p": 2.0, "eps": 1e-12}),
}


# The softmax family and sparsemax are invariant to a common shift: a −inf entry has the limit
# weight 0 (its log-probability −inf), but +inf entries, or a row that is −inf everywhere, leave
# no limit (softmin: the other way round).
_SHIFTED = {"softmax": 1.0, "log_softmax": 1.0, "sparsemax": 1.0, "softmin": -1.0}


def undefined(name: str, xs: Iterable[float]) -> bool:
    """Whether a vector activation has no value on the row ``xs``: NaN anywhere; for the
    softmax family and sparsemax +inf anywhere or −inf everywhere; for the others any infinite
    entry (normalize's x/‖x‖ is not taken to its limit). Its value and Jacobian are NaN."""
    row = [float(v) for v in xs]
    if any(math.isnan(v) for v in row):
        return True
    sign = _SHIFTED.get(canonical(name))
    if sign is None:
        return any(math.isinf(v) for v in row)
    return any(sign * v == INF for v in row) or all(sign * v == -INF for v in row)


@functools.lru_cache(maxsize=4096)
def _vector_cached(name: str, key: tuple, xs: tuple[float, ...]) -> tuple[Vec, Mat]:
    if undefined(name, xs):
        n = len(xs)
        m = n // 2 if VECTOR[name].halves else n
        return [mpf("nan")] * m, [[mpf("nan")] * n for _ in range(m)]
    with mp.workdps(DPS):
        return VECTOR[name].fn([mpf(v) for v in xs], _thaw(key))


def vector_value(name: str, xs: Iterable[float], **params: Any) -> list[Any]:
    """Value of a vector activation on one slice (list of floats) as a list of mpf."""
    name = canonical(name)
    xs = tuple(float(v) for v in xs)
    return list(_vector_cached(name, params_key(name, **params), xs)[0])


def vector_jacobian(name: str, xs: Iterable[float], **params: Any) -> list[list[Any]]:
    """Jacobian dy_i/dx_j (m rows, n columns) on one slice as nested lists of mpf."""
    name = canonical(name)
    xs = tuple(float(v) for v in xs)
    return [list(r) for r in _vector_cached(name, params_key(name, **params), xs)[1]]


__all__ = [
    "ALIASES",
    "DPS",
    "ELEMENTWISE",
    "VECTOR",
    "canonical",
    "defaults",
    "derivative",
    "evaluate",
    "kinks",
    "limit",
    "names",
    "near_zero",
    "params_key",
    "scan_grid",
    "undefined",
    "value",
    "vector_jacobian",
    "vector_value",
    "zeros_of_derivative",
]
