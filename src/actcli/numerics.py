"""Stable floating-point primitives shared by the activations.

Every function here takes and returns float64 numpy arrays, is exact to a few ULP over the whole
double range (tails, tiny magnitudes, ±0, ±inf, NaN) and raises no floating-point warning.

Two techniques recur:

* **Sign splits** so that no branch ever evaluates ``exp`` of a large positive number
  (``sigmoid``, ``log_sigmoid``, ``softplus``).
* **Double-double arguments.** Where a function is steep in its argument (``exp(-x²)``,
  ``sigmoid(z)`` for z ≪ 0, ``sin(w·x)``), rounding the argument *before* the call costs
  ``|z|`` ULP of the result. We compute the argument as an unevaluated sum ``hi + lo`` with the
  error-free transformations of Dekker and Knuth, evaluate at ``hi`` and correct to first order
  with the derivative: ``f(hi + lo) ≈ f(hi) + f'(hi)·lo``.

Nothing here calls scipy or a CPU-dispatched numpy function (see :mod:`actcli.elementary`).
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from actcli import elementary as el
from actcli.elementary import horner

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]
    Pair = tuple[Array, Array]  # a double-double: hi + lo

SQRT2 = 1.4142135623730951  # √2, correctly rounded
SQRT1_2 = 0.7071067811865476  # 1/√2, correctly rounded (M_SQRT1_2)
INV_SQRT_2PI = 0.3989422804014327  # 1/√(2π), correctly rounded
TWO_OVER_SQRT_PI = 1.1283791670955126  # 2/√π (M_2_SQRTPI)
LN2 = 0.6931471805599453

# Beyond these magnitudes the quantity in question is exactly representable as its limit, so
# arguments are clamped there to keep exp() from overflowing in a branch that np.where discards.
_EXP_SAFE = 700.0
_SPLIT_SAFE = 1e150  # Veltkamp splitting multiplies by 2**27 + 1: keep far from overflow

# --------------------------------------------------------------------------- arrays


def diag_embed(v: Array) -> Array:
    """Diagonal matrices from the last axis: (..., n) -> (..., n, n), without v·I (inf·0 = NaN)."""
    n = v.shape[-1]
    out = np.zeros((*v.shape, n), dtype=np.float64)
    idx = np.arange(n)
    out[..., idx, idx] = v
    return out


# --------------------------------------------------------------------------- error-free products


def _split(a: Array) -> tuple[Array, Array]:
    """Veltkamp split: a = hi + lo exactly, each half with at most 26 significant bits."""
    c = 134217729.0 * a  # 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a: Array, b: Array | float) -> tuple[Array, Array]:
    """Dekker's product: a·b = p + e exactly (for |a·b| within the normal range).

    Inputs beyond ±1e150 (or non-finite) get ``e = 0``: the product is then either huge, where
    one rounding is harmless for every use here, or not finite.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.broadcast_to(np.asarray(b, dtype=np.float64), a.shape)
    p = a * b
    safe = (np.abs(a) < _SPLIT_SAFE) & (np.abs(b) < _SPLIT_SAFE)
    sa, sb = np.where(safe, a, 0.0), np.where(safe, b, 0.0)
    ah, al = _split(sa)
    bh, bl = _split(sb)
    sp = sa * sb
    e = ((ah * bh - sp) + ah * bl + al * bh) + al * bl
    return p, np.where(safe, e, 0.0)


def two_square(a: Array) -> tuple[Array, Array]:
    """a² = p + e exactly, for |a| < 1e150 (Dekker's product with one split)."""
    ah, al = _split(a)
    p = a * a
    return p, ((ah * ah - p) + 2.0 * ah * al) + al * al


def two_sum(a: Array, b: Array) -> tuple[Array, Array]:
    """Knuth's sum: a + b = s + e exactly (finite inputs)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def dd_from_decimal(text: str) -> tuple[float, float]:
    """A decimal constant as a double-double (hi + lo), e.g. 1.702 or 0.044715."""
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    hi = float(text)
    lo = float(Decimal(text) - Decimal(hi))
    return hi, lo


def dd_mul(ah: Array, al: Array, bh: Array, bl: Array) -> tuple[Array, Array]:
    """(ah + al)·(bh + bl) as a double-double, to about 2⁻¹⁰⁴ relative."""
    p, e = two_prod(ah, bh)
    return p, e + (ah * bl + al * bh)


def times(x: Array, hi: Array, lo: Array) -> Array:
    """x·(hi + lo) rounded once, for a double-double factor; a zero product keeps its sign
    (silu(−0) = −0), which adding the low parts would turn into +0."""
    ph, pl = two_prod(x, hi)
    return np.where(ph == 0, ph, ph + (pl + x * lo))


def times_shifted(x: Array, a: float) -> Pair:
    """x·(x + a) as a double-double: x + a exact (TwoSum), the product by Dekker (the hard
    activations' ramps: hard_silu's x(x + 3), hard_mish's x(x + 2))."""
    uh, ul = two_sum(x, np.full_like(x, a))
    ph, pl = two_prod(x, uh)
    return ph, pl + x * ul


def dd_add(ah: Array, al: Array, bh: Array, bl: Array) -> tuple[Array, Array]:
    """(ah + al) + (bh + bl) as a double-double (finite inputs)."""
    s, e = two_sum(ah, bh)
    return s, e + (al + bl)


def scaled(x: Array, c: tuple[float, float]) -> tuple[Array, Array]:
    """x·c as a double-double, where c = (hi, lo) is a double-double constant."""
    p, e = two_prod(x, c[0])
    safe = np.isfinite(x) & (np.abs(x) < _SPLIT_SAFE)
    return p, e + np.where(safe, x, 0.0) * c[1]


# --------------------------------------------------------------------------- logistic family


def logistic(zh: Array, zl: Array | None = None) -> tuple[Pair, Pair]:
    """(σ(z), σ(−z)) for z = zh + zl, each as a double-double (about 2⁻⁶⁰ relative).

    With E = e^(−|z|) ≤ 1 (elementary.exp_pair, the argument's low part to first order) and
    r = 1/(1 + E) divided with its remainder, the pair is (r, E·r) for z ≥ 0 and (E·r, r)
    otherwise: nothing overflows, and the small one keeps its relative accuracy down to the
    subnormal range (σ(−710) = 4.47e−309, where 1/(1 + e^710) gives 0).
    """
    eh, elo = el.exp_pair(-np.abs(zh))
    if zl is not None:
        elo = elo - eh * np.where(zh >= 0, zl, -zl)
    dh = 1.0 + eh
    dl = ((1.0 - dh) + eh) + elo  # Fast2Sum: 1 ≥ E
    rh = 1.0 / dh
    ph, pl = el.two_prod(rh, dh)  # ½ ≤ r ≤ 1 ≤ 1 + E ≤ 2: no guard needed
    rl = (((1.0 - ph) - pl) - rh * dl) / dh
    sh, sl = el.two_prod(eh, rh)  # E ≤ 1 (a subnormal E's error term is below its ULP)
    sl += eh * rl + elo * rh
    up = zh >= 0
    return (
        (np.where(up, rh, sh), np.where(up, rl, sl)),
        (np.where(up, sh, rh), np.where(up, sl, rl)),
    )


def sigmoid_pair(z: Array) -> tuple[Array, Array]:
    """(σ(z), σ(−z)), each rounded once (see :func:`logistic`)."""
    (sh, sl), (mh, ml) = logistic(z)
    return sh + sl, mh + ml


def sigmoid(z: Array) -> Array:
    """σ(z) = 1/(1 + e^(−z)), rounded once (see :func:`logistic`)."""
    (sh, sl), _ = logistic(z)
    return sh + sl


def sigmoid_dd(zh: Array, zl: Array | None) -> Array:
    """σ(zh + zl) for a double-double argument, rounded once."""
    (sh, sl), _ = logistic(zh, zl)
    return sh + sl


def sigmoid_prime(z: Array) -> Array:
    """σ'(z) = σ(z)·σ(−z), the product of the two double-doubles rounded once; the form
    y(1 − y) loses every digit for z ≳ 36."""
    (sh, sl), (mh, ml) = logistic(z)
    ph, pl = two_prod(sh, mh)
    return ph + (pl + sh * ml + sl * mh)


def softplus_pair(zh: Array, zl: Array | None = None) -> Pair:
    """softplus(zh + zl) = max(z, 0) + ln(1 + e^(−|z|)) as a double-double, for finite zh.

    E = e^(−|z|) ≤ 1 from elementary.exp_pair (the argument's low part to first order), the
    logarithm of 1 + E carried exactly (elementary.log_pair): nothing overflows, and both
    tails keep every digit (softplus(−740) = e^(−740), softplus(40) = 40 + e^(−40)).
    """
    up = zh > 0
    eh, elo = el.exp_pair(-np.abs(zh))
    if zl is not None:
        elo = elo - eh * np.where(up, zl, -zl)
    uh = 1.0 + eh
    ul = ((1.0 - uh) + eh) + elo  # Fast2Sum: 1 ≥ E
    lh, ll = el.log_pair(uh, ul)
    sh, sl = two_sum(np.maximum(zh, 0.0), lh)
    sl += ll
    if zl is not None:
        sl += np.where(up, zl, 0.0)
    return sh, sl


def softplus(z: Array) -> Array:
    """ln(1 + e^z), rounded once (see :func:`softplus_pair`)."""
    sh, sl = softplus_pair(z)
    return sh + sl


def softplus_dd(zh: Array, zl: Array | None) -> Array:
    """softplus(zh + zl), rounded once."""
    sh, sl = softplus_pair(zh, zl)
    return sh + sl


def tanh_prime(x: Array) -> Array:
    """1 − tanh²(x) as 4σ(2x)σ(−2x): no cancellation for large |x|, no overflow."""
    return 4.0 * sigmoid_prime(2.0 * x)


def tanh_prime_pair(x: Array) -> Pair:
    """1 − tanh²(x) = 4σ(2x)σ(−2x) as a double-double."""
    (sh, sl), (mh, ml) = logistic(2.0 * x)
    return dd_mul(4.0 * sh, 4.0 * sl, mh, ml)


# --------------------------------------------------------------------------- Gaussian family


def exp_mul(
    y: Array,
    factor: Array | float,
    lo: Array | None = None,
    factor_lo: Array | float | None = None,
) -> Array:
    """e^(y + lo)·(factor + factor_lo), rounded once, without losing digits when e^y alone
    would be subnormal.

    e^y comes as a double-double (elementary.exp_pair) and the product is carried as one,
    with ``lo`` (the low part of a double-double argument) applied to first order: the only
    rounding is the last. For y < −600, e^y may have fewer than 53 significant bits though the
    product is a normal number again (gelu′(−37.7) ≈ −7.5e−308): there e^(y + 128) is taken
    (y + 128 is exact for −1024 < y < −256) and the product scaled by e^(−128) as a
    double-double.
    """
    ph, pl = exp_mul_pair(y, factor, lo, factor_lo)
    with np.errstate(invalid="ignore"):  # inf + NaN only where e^y or factor is not finite
        out = ph + pl
    return np.where(ph == 0, ph, np.where(np.isfinite(ph), out, ph))  # keeps −0 and ±inf


def exp_mul_pair(
    y: Array,
    factor: Array | float,
    lo: Array | None = None,
    factor_lo: Array | float | None = None,
) -> Pair:
    """:func:`exp_mul` before its rounding: the double-double (hi, lo)."""
    deep = y < -600.0
    any_deep = bool(deep.any())
    eh, elo = el.exp_pair(np.where(deep, y + 128.0, y) if any_deep else y)
    ph, pl = two_prod(eh, factor)
    pl = pl + elo * factor
    if factor_lo is not None:
        pl += eh * factor_lo
    if lo is not None:
        pl += ph * lo
    if any_deep:
        qh, ql = two_prod(ph, _EXP_M128[0])
        ql += ph * _EXP_M128[1] + pl * _EXP_M128[0]
        ph, pl = np.where(deep, qh, ph), np.where(deep, ql, pl)
    return ph, pl


_EXP_M128 = (2.572209372642415e-56, 1.513636755305348e-73)  # e^(−128) as a double-double


def exp_neg_square(
    x: Array,
    half: bool = False,
    factor: Array | float = 1.0,
    factor_lo: Array | float | None = None,
    lo: Array | None = None,
) -> Array:
    """e^(−x² + lo)·(factor + factor_lo) (e^(−x²/2 + lo)·… with ``half``), x² split exactly.

    Rounding x² first would cost up to x² ULP of the result (≈ 700 ULP near x = 26); with
    x² = hi + lo exactly, e^(−hi) and the rest in double-double (:func:`exp_mul`), the result
    is rounded once. ``factor`` is applied before any underflow; it may be as large as a
    power of x, not more: beyond |x| = 40 the result is 0. ``lo`` is a small extra term of
    the argument (a double-double x's −x·x_lo).
    """
    return exp_mul(*_neg_square_args(x, half, factor, factor_lo, lo))


def exp_neg_square_pair(
    x: Array,
    half: bool = False,
    factor: Array | float = 1.0,
    factor_lo: Array | float | None = None,
    lo: Array | None = None,
) -> Pair:
    """:func:`exp_neg_square` before its rounding: the double-double (hi, lo)."""
    return exp_mul_pair(*_neg_square_args(x, half, factor, factor_lo, lo))


def _neg_square_args(
    x: Array,
    half: bool,
    factor: Array | float,
    factor_lo: Array | float | None,
    lo: Array | None,
) -> tuple[Array, Array | float, Array, Array | float | None]:
    """exp_mul's arguments for e^(−x² + lo)·factor (or −x²/2): x² split exactly, and the
    factor zeroed beyond |x| = 40."""
    inside = np.abs(x) < 40.0  # beyond, e^(−800)·poly(x) underflows to 0
    everywhere = bool(inside.all())
    xs = x if everywhere else np.where(inside, x, 0.0)
    hi, sq_lo = two_square(xs)
    if half:
        hi *= 0.5
        sq_lo *= 0.5
    if not everywhere:
        factor = np.where(inside, factor, 0.0)
        if factor_lo is not None:
            factor_lo = np.where(inside, factor_lo, 0.0)
    return -hi, factor, -sq_lo if lo is None else lo - sq_lo, factor_lo


LN2_DD = (0.6931471805599453, 2.3190468138462996e-17)  # ln 2 as a double-double


_EXP_TAIL = tuple(1.0 / math.factorial(k) for k in range(4, 14))


def exp_dd(x: Array) -> tuple[Array, Array]:
    """e^x as a double-double (about 2⁻¹⁰⁰ relative) for −700 < x < 700.

    Where a quantity depends on e^x through exp(−2e^x) (tanh_exp″), the half-ULP rounding of
    e^x alone costs e^x ULP. x = n·ln 2 + r with r in double-double, e^(r/8) from its Taylor
    series (three leading terms in double-double), squared three times, scaled by 2^n.
    """
    n = np.rint(x / LN2_DD[0])
    p, pe = two_prod(n, LN2_DD[0])
    s, se = two_sum(x, -p)
    rh, rl = two_sum(s, (se - pe) - n * LN2_DD[1])
    th, tl = rh * 0.125, rl * 0.125  # |t| ≤ 0.044
    t2h, t2l = dd_mul(th, tl, th, tl)
    t3h, t3l = dd_mul(t2h, t2l, th, tl)
    tail = (t2h * t2h) * horner(_EXP_TAIL, th)  # Σ_{k≥4} t^k/k!, 2⁻⁵³ of ≤ 2⁻²² is enough
    sixth = _dd_rational(1, 6)
    c3h, c3l = dd_mul(t3h, t3l, np.full_like(th, sixth[0]), np.full_like(th, sixth[1]))
    ah, al = dd_add(0.5 * t2h, 0.5 * t2l, c3h, c3l + tail)
    ah, al = dd_add(th, tl, ah, al)
    eh, elo = dd_add(np.ones_like(th), np.zeros_like(th), ah, al)
    eh, elo = two_sum(eh, elo)  # renormalised: the squares drop el²
    for _ in range(3):
        eh, elo = dd_mul(eh, elo, eh, elo)
        eh, elo = two_sum(eh, elo)
    k = n.astype(np.int64)
    return np.ldexp(eh, k), np.ldexp(elo, k)


INV_SQRT_2PI_DD = (0.3989422804014327, -2.49232720227773e-17)  # 1/√(2π)


def std_normal_pdf(x: Array, factor: Array | float = 1.0) -> Array:
    """φ(x)·factor = e^(−x²/2)/√(2π)·factor, rounded once (1/√(2π)·factor carried exactly)."""
    fh, fl = two_prod(np.asarray(factor, dtype=np.float64) + np.zeros_like(x), INV_SQRT_2PI_DD[0])
    return exp_neg_square(x, half=True, factor=fh, factor_lo=fl + factor * INV_SQRT_2PI_DD[1])


def horner_pair(coefficients: tuple[float, ...], s: Array, lead_lo: float = 0.0) -> Pair:
    """Σ cₖ sᵏ as hi + lo, c₀ = coefficients[0] + lead_lo: the last step c₀ + s·(…) with its
    rounding error kept, which is most of Horner's error where the sum hardly varies
    (|s·(…)| ≪ |c₀|)."""
    t = horner(coefficients[1:], s) * s
    hi, lo = two_sum(np.full_like(s, coefficients[0]), t)
    return hi, lo + lead_lo


def dd_rsqrt(uh: Array, ul: Array) -> tuple[Array, Array]:
    """1/√(uh + ul) as hi + lo for uh > 0 (normal, and u·r² in range): one Newton step
    r₀ + r₀·(1 − u·r₀²)/2 with the residual in double-double."""
    r = 1.0 / np.sqrt(uh)
    qh, ql = two_square(r)
    ph, pl = dd_mul(uh, ul, qh, ql)
    eh, el_ = two_sum(np.ones_like(ph), -ph)
    return r, r * (0.5 * (eh + (el_ - pl)))


def dd_div(nh: Array, nl: Array, dh: Array, dl: Array) -> tuple[Array, Array]:
    """(nh + nl)/(dh + dl) as hi + lo, the quotient's remainder from Dekker's product."""
    q = nh / dh
    ph, pl = two_prod(q, dh)
    return q, (((nh - ph) - pl) + nl - q * dl) / dh


def _on(interval: tuple[float, float], v: Array) -> Array:
    """v mapped from ``interval`` onto [−1, 1]."""
    a, b = interval
    return (2.0 * v - (a + b)) / (b - a)


def mills(x: Array) -> tuple[Array, Array]:
    """P(x) = Φ(x)/(√(2π)·φ(x)) for x ≤ 0 as hi + lo, from the polynomial fits in ``_mills``.

    Φ(x) = P(x)·e^(−x²/2): the Gaussian factor carries the tail, P varies slowly (½ at 0,
    ~1/(√(2π)|x|) far out). scipy's erfc and erfcx are 4–7 ULP off in places. The fit's
    leading coefficient and last Horner step, the division by 1 − x (or |x|) and 1/√(2π) are
    carried as double-doubles, so the fit itself (2e−17 relative) is the error left.
    """
    from actcli import _mills as m

    hi, lo = np.empty_like(x), np.empty_like(x)
    near = x >= m.NEAR_INTERVAL[0]
    tail = x < m.MID_INTERVAL[0]
    mid = ~(near | tail)
    pieces = ((near, m.NEAR, m.NEAR_LO, m.NEAR_INTERVAL), (mid, m.MID, m.MID_LO, m.MID_INTERVAL))
    for mask, piece, lead_lo, interval in pieces:
        xs = x[mask]
        ph, pl = horner_pair(piece, _on(interval, xs), lead_lo)
        dh, dl = two_sum(np.ones_like(xs), -xs)
        hi[mask], lo[mask] = dd_div(ph, pl, dh, dl)
    xt = x[tail]
    w = 1.0 / (xt * xt)
    sh, sl = horner_pair(m.TAIL, _on(m.TAIL_INTERVAL, w), m.TAIL_LO)
    sh, sl = dd_mul(
        sh, sl, np.full_like(sh, INV_SQRT_2PI_DD[0]), np.full_like(sh, INV_SQRT_2PI_DD[1])
    )
    hi[tail], lo[tail] = dd_div(sh, sl, -xt, np.zeros_like(xt))
    zero = x == 0  # P(0) = ½ exactly, so that gelu′(0) = Φ(0) = ½ to the bit
    hi[zero], lo[zero] = 0.5, 0.0
    return hi, lo


def std_normal_cdf(x: Array) -> Array:
    """Φ(x) to about an ULP over the whole range: P(−|x|)·e^(−x²/2), reflected for x > 0."""
    ph, pl = mills(-np.abs(x))
    low = exp_neg_square(x, half=True, factor=ph, factor_lo=pl)
    return np.where(x <= 0, low, 1.0 - low)


TWO_OVER_SQRT_PI_DD = (1.1283791670955126, 1.533545961316588e-17)  # 2/√π
SQRT2_DD = (1.4142135623730951, -9.667293313452913e-17)  # √2
# erf s = (2/√π)·s·Σ (−1)ⁿ s²ⁿ/(n!(2n + 1)) below 1; the s⁴⁸ term is below 2⁻⁶⁰ there
_ERF_SERIES = 1.0
_ERF_TAYLOR = tuple((-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(1, 25))


def erf_pair(s: Array) -> Pair:
    """erf s for s ≥ 0 (finite) as a double-double: (2/√π)·s·(1 + s²·(…)) below 1, and
    1 − erfc s above, erfc s = 2Φ(−s√2) = 2·P(−s√2)·e^(−s²) rounded once (P the Mills
    ratio fit, e^(−s²) with s² split exactly): within about an ULP, without scipy's libm."""
    small = s < _ERF_SERIES
    ss = np.where(small, s, 0.0)
    t = ss * ss
    th, tl = two_sum(np.ones_like(ss), t * horner(_ERF_TAYLOR, t))
    c = TWO_OVER_SQRT_PI_DD
    ph, pl = dd_mul(ss, np.zeros_like(ss), np.full_like(ss, c[0]), np.full_like(ss, c[1]))
    ph, pl = dd_mul(ph, pl, th, tl)
    sb = np.where(small, 1.0, s)
    # P at −s√2 = t + tl (√2 a double-double): P(t) + P′(t)·tl, P′ = 1/√(2π) + t·P
    ah, al = two_prod(sb, SQRT2_DD[0])
    inside = ah < 40.0  # beyond, erfc underflows: P is moot
    t = -np.where(inside, ah, 40.0)
    tl = -np.where(inside, al + sb * SQRT2_DD[1], 0.0)
    mh, ml = mills(t)
    ml += (INV_SQRT_2PI + t * mh) * tl
    erfc = exp_neg_square(sb, factor=2.0 * mh, factor_lo=2.0 * ml)
    qh, ql = two_sum(np.ones_like(sb), -erfc)
    return np.where(small, ph, qh), np.where(small, pl, ql)


def erf(x: Array) -> Array:
    """erf x for any x (odd: from :func:`erf_pair` at |x|), rounded once; ±inf → ±1."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    finite = np.isfinite(a)
    hi, lo = erf_pair(np.where(finite, a, 0.0))
    y = np.where(finite, hi + lo, np.where(np.isnan(a), a, 1.0))
    return np.where(np.signbit(x), -y, y)


# --------------------------------------------------------------------------- trigonometric


def sin_cos_dd(hi: Array, lo: Array) -> tuple[Array, Array]:
    """(sin, cos) of the double-double argument hi + lo, to first order in lo (NaN stays NaN).

    Only valid while lo² is negligible (|lo| ≲ 2⁻³⁰); :func:`sin_scaled` sends larger
    arguments to an exact reduction instead.
    """
    finite = np.isfinite(hi)
    h = np.where(finite, hi, 0.0)
    s = np.where(finite, np.sin(h), np.nan)
    c = np.where(finite, np.cos(h), np.nan)
    return np.where(lo == 0, s, s + c * lo), c - s * lo  # sin(−0) = −0 kept


# Below this |w·x| the rounding error lo of the product is at most 2⁻³³ and the first-order
# correction of sin_cos_dd is exact to far below an ULP; beyond, the phase is reduced exactly.
_SIN_FAST = 2.0**20
_PI_BITS = 3200  # π to this many bits covers |w·x| up to 2^2900: every product of two doubles
_FIXED = 256  # fixed-point bits of the reduced angle


@functools.lru_cache(maxsize=1)
def _pi_fixed() -> int:
    """floor(π·2^_PI_BITS), from Machin's formula in integer arithmetic (guard bits dropped)."""
    guard = 64
    one = 1 << (_PI_BITS + guard)

    def atan_inv(n: int) -> int:
        term = one // n
        total, k, n2 = term, 1, n * n
        while term:
            term //= n2
            k += 2
            total += -(term // k) if k % 4 == 3 else term // k
        return total

    return (16 * atan_inv(5) - 4 * atan_inv(239)) >> guard


def _sin_cos_exact(x: float, w: float, phase: tuple[float, float]) -> tuple[float, float]:
    """sin and cos of the exact number x·w + phase[0] + phase[1], correctly rounded (to far
    below an ULP) for any finite doubles: a Payne–Hanek reduction in integer arithmetic."""
    from fractions import Fraction

    a = Fraction(x) * Fraction(w) + Fraction(phase[0]) + Fraction(phase[1])
    num, den = a.numerator, a.denominator  # den is a power of two
    g, bits = _FIXED, _PI_BITS
    pi = _pi_fixed()
    # q = (2a/π)·2^g: the quadrant count and the fraction of a quarter turn left over
    q = (num << (g + bits + 1)) // (den * pi)
    k = (q + (1 << (g - 1))) >> g
    f = q - (k << g)  # |f| ≤ 2^(g−1): the remainder in quarter turns, g fractional bits
    phi = (f * (pi >> (bits - g))) >> (g + 1)  # f·π/2, |φ| ≤ π/4, g fractional bits
    one = 1 << g
    p2 = (phi * phi) >> g
    sin_acc, cos_acc = phi, one
    term_s, term_c, n = phi, one, 1
    while term_s or term_c:
        term_c = -((term_c * p2) >> g) // (n * (n + 1))
        term_s = -((term_s * p2) >> g) // ((n + 1) * (n + 2))
        cos_acc += term_c
        sin_acc += term_s
        n += 2
    quadrant = k % 4
    sv, cv = ((sin_acc, cos_acc), (cos_acc, -sin_acc), (-sin_acc, -cos_acc), (-cos_acc, sin_acc))[
        quadrant
    ]
    return sv / one, cv / one


def sin_scaled(x: Array, w: float, phase: tuple[float, float] = (0.0, 0.0)) -> tuple[Array, Array]:
    """(sin, cos) of w·x + phase for the exact product w·x (``phase`` a double-double constant).

    For large |x| the rounding of w·x alone would shift the phase by up to ulp(w·x); near a
    zero of the sine that is the whole value. Up to |w·x| = 2²⁰ the product is taken as a
    double-double hi + lo and corrected to first order; the rare larger (or overflowing)
    products are reduced modulo π/2 exactly, element by element (:func:`_sin_cos_exact`).
    """
    x = np.asarray(x, dtype=np.float64)
    hi, lo = two_prod(x, w)
    slow = np.isfinite(x) & ~(np.abs(hi) < _SIN_FAST)  # catches an overflowing w·x too
    if not abs(w) < _SPLIT_SAFE:
        slow |= np.isfinite(x) & (x != 0)
    hi = np.where(np.isfinite(hi) & ~slow, hi, np.where(slow, 0.0, np.nan))
    lo = np.where(slow, 0.0, lo)
    if phase != (0.0, 0.0):
        hi, err = two_sum(hi, np.full_like(hi, phase[0]))
        lo = lo + (err + phase[1])
    s, c = sin_cos_dd(hi, lo)
    if slow.any():
        s, c = np.array(s, dtype=np.float64), np.array(c, dtype=np.float64)
        idx = np.flatnonzero(slow)
        flat_x, flat_s, flat_c = x.reshape(-1), s.reshape(-1), c.reshape(-1)
        for i in idx.tolist():
            flat_s[i], flat_c[i] = _sin_cos_exact(float(flat_x[i]), float(w), phase)
    return s, c


PI_4 = (0.7853981633974483, 3.061616997868383e-17)  # π/4 as a double-double


def _dd_rational(num: int, den: int) -> tuple[float, float]:
    from fractions import Fraction

    q = Fraction(num, den)
    hi = float(q)
    return hi, float(q - Fraction(hi))


# (−1)^k/(2k+1)! as double-doubles: the Taylor series of sin(θ)/θ in θ².
_SIN_SERIES = tuple(_dd_rational((-1) ** k, math.factorial(2 * k + 1)) for k in range(16))


def sin_dd(th: Array, tl: Array) -> tuple[Array, Array]:
    """sin(θ) as a double-double for a double-double θ with |θ| ≤ 2 (Taylor series).

    libm's sin is good to half an ULP, which is not enough where a sine's square is added to
    something of opposite sign (snake for x < 0). Sixteen terms leave 2e−28 at |θ| = 2.
    """
    t2h, t2l = dd_mul(th, tl, th, tl)
    ah, al = np.full_like(th, _SIN_SERIES[-1][0]), np.full_like(th, _SIN_SERIES[-1][1])
    for ch, cl in reversed(_SIN_SERIES[:-1]):
        ah, al = dd_mul(ah, al, t2h, t2l)
        ah, al = dd_add(ah, al, np.full_like(th, ch), np.full_like(th, cl))
    return dd_mul(ah, al, th, tl)


# --------------------------------------------------------------------------- series


def near_root(
    xh: Array,
    xl: Array | float,
    series: tuple[tuple[float, float], tuple[float, ...]],
    radius: float,
    general: Array,
) -> Array:
    """Replace ``general`` by a Taylor series where x = xh + xl lies within ``radius`` of x₀.

    ``series`` is ((x₀ hi, x₀ lo), coefficients) from ``catalog/_taylor.py``. With t = x − x₀
    formed exactly near x₀, the polynomial's leading term c₁·t carries the result: no
    cancellation, however close x is to the zero.
    """
    (rh, rl), coeffs = series
    t = (xh - rh) + (xl - rl)
    near = np.abs(t) < radius
    if not near.any():
        return general
    tn = t[near]
    acc = np.zeros_like(tn)
    for c in reversed(coeffs):
        acc = acc * tn + c
    out = np.array(general, dtype=np.float64)
    out[near] = acc
    return out


def tanh_shrink(x: Array) -> Array:
    """x − tanh(x), exact near 0 where the difference cancels completely.

    For |x| < 2 it uses x − tanh x = (x·cosh x − sinh x)/cosh x, whose numerator is the
    series Σ_{k≥1} 2k·x^(2k+1)/(2k+1)! with positive terms only: no cancellation at all.
    """
    small = np.abs(x) < _TANH_SHRINK_SERIES
    xs = np.where(small, x, 0.0)
    # below 1/4: x³·Σ bₖx²ᵏ (tanh's own series, its first term x taken away), x³ and the
    # leading coefficient 1/3 in double-double, the rest (below 1% of it) in double
    b = _tanh_shrink_coefficients()
    sh, sl = two_square(xs)
    rest = sh * horner(b[2:], sh)
    lead_h, lead_l = two_sum(np.full_like(xs, b[0]), rest)
    ch, cl = dd_mul(xs, np.zeros_like(xs), sh, sl)  # x³
    ph, pl = dd_mul(ch, cl, lead_h, lead_l + b[1])
    series = np.where(ph == 0, ph, ph + pl)  # keeps −0 (and an underflowed x³'s sign)
    # above, x − tanh x with tanh a double-double: x − th is exact (Sterbenz, or x ≥ 2th),
    # and what cancels is at most 1 − x³/3x: 2⁻⁶⁰ of tanh stays below 0.1 ULP of the result
    th, tl = el.tanh_pair(np.where(small, 1.0, x))
    return np.where(small, series, (x - th) - tl)


_TANH_SHRINK_SERIES = 0.25
_TANH_SHRINK_TERMS = 12  # the x^25 term is below 2⁻⁶⁰ of x³/3 at |x| = 1/4


@functools.cache
def _tanh_shrink_coefficients() -> tuple[float, ...]:
    """(1/3 high, 1/3 low, b₁, b₂, …): x − tanh x = Σ bₖ x^(2k+3), bₖ = −2²ⁿ(2²ⁿ − 1)B₂ₙ/(2n)!
    with n = k + 2 and B the Bernoulli numbers (exact fractions, Akiyama–Tanigawa)."""
    from fractions import Fraction

    top = 2 * (_TANH_SHRINK_TERMS + 2)
    bernoulli = []
    row: list[Fraction] = []
    for m in range(top + 1):
        row.append(Fraction(1, m + 1))
        for j in range(m, 0, -1):
            row[j - 1] = j * (row[j - 1] - row[j])
        bernoulli.append(row[0])  # B₁ = +½ in this convention; only even indices are used
    exact = [
        -Fraction(4**n * (4**n - 1)) * bernoulli[2 * n] / math.factorial(2 * n)
        for n in range(2, _TANH_SHRINK_TERMS + 2)
    ]
    third = float(exact[0])
    return (third, float(exact[0] - Fraction(third)), *(float(c) for c in exact[1:]))


# --------------------------------------------------------------------------- compensated sums
#
# sum_dd sums each row as a double-double (hi, lo) with a pairwise cascade of Knuth's two_sum:
# every level adds neighbours and keeps their rounding errors exactly, and the errors (each
# below half an ulp of a partial sum) are added up at the end: within about u² log₂(n) Σ|a| of
# the exact sum (u = 2⁻⁵³), faithful for sums of positive terms, in a few numpy passes over
# the row (no Python loop over its entries). div_dd divides a double-double by a float, exactly
# up to the final rounding of lo. Both take finite arrays (callers mask non-finite entries).


def sum_dd(a: Array) -> tuple[Array, Array]:
    """Σ along the last axis as a double-double (hi, lo), hi = fl(hi + lo); shape a.shape[:-1].

    Each level adds the first half of the row to the second (contiguous blocks: no strided
    reads); an odd last entry goes into a carry, by two_sum as well. A row of length 0 sums to
    (0, 0).
    """
    s = np.asarray(a, dtype=np.float64)
    lo = np.zeros(s.shape[:-1])
    carry = np.zeros(s.shape[:-1])
    while s.shape[-1] > 1:
        width = s.shape[-1]
        if width % 2:
            carry, err = two_sum(carry, s[..., -1])
            lo += err
        half = width // 2
        s, err = two_sum(s[..., :half], s[..., half : 2 * half])
        lo += np.sum(err, axis=-1)
    if s.shape[-1]:
        carry, err = two_sum(carry, s[..., 0])
        lo += err
    return two_sum(carry, lo)


def _two_prod_unmasked(a: Array, b: float) -> tuple[Array, Array]:
    """:func:`two_prod` without its guards, for a float b and products of the split halves
    that neither overflow nor underflow (|a|, |b| within 2^±300 of 1, say): what
    :func:`div_dd` needs, a third faster."""
    p = a * b
    ah, al = _split(a)
    c = 134217729.0 * b
    bh = c - (c - b)
    bl = b - bh
    e = ah * bh
    e -= p
    e += ah * bl
    e += al * bh
    e += al * bl
    return p, e


def div_dd(hi: Array, lo: Array, divisor: float) -> tuple[Array, Array]:
    """(hi + lo)/divisor as a double-double, for a positive float ``divisor``; needs
    |hi/divisor| ≤ 2²⁰⁰.

    The remainder hi − q·divisor is exact by Dekker's product. A divisor far from 1 is first
    taken apart as m·2^k with 0.5 ≤ m < 1, so that the split halves' products cannot
    underflow; scaling by 2^−k is exact short of the subnormal range, where the bits dropped
    are far below what any caller needs. Where q itself is tiny (|q| < 2⁻⁸⁰⁰) lo may lose
    its relative accuracy, never its absolute one.
    """
    m, k = math.frexp(divisor)
    if m == 0.5:  # a power of two
        return np.ldexp(hi, 1 - k), np.ldexp(lo, 1 - k)
    if abs(k) > 200:
        hi, lo, divisor = np.ldexp(hi, -k), np.ldexp(lo, -k), m
    qh = hi / divisor
    ph, pl = _two_prod_unmasked(qh, divisor)
    r = hi - ph  # exact (Sterbenz): ph is within an ulp of hi
    r -= pl
    r += lo
    r /= divisor
    return qh, r
