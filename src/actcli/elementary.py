"""exp, expm1, tanh, log, log1p and powers from IEEE operations only: the same bytes on every CPU.

numpy sends ``np.exp``, ``np.expm1``, ``np.tanh``, ``np.log``, ``np.log1p``, ``np.power`` and
others to different SIMD code on different CPUs (AVX-512, AVX2, the baseline), and their last
bits differ: ``gelu(-2.5)`` ended in …335 on one machine and …337 on another. glibc, behind
numpy's baseline loops and scipy, picks FMA variants of its own at load time. The functions here
use only +, −, ×, ÷, ``rint``, comparisons and exact conversions, whose results IEEE 754 fixes,
so a result depends on the input alone; and they are at least as accurate as the dispatched
ones (measured in tests/test_elementary.py against mpmath).

The exponential is Tang's: x = k·ln2/N + r with N = 1024 and |r| ≤ ln2/2048, the 1024 values
2^(j/N) held as double-doubles, e^r − 1 from a short polynomial, so that e^x comes out as
``hi + lo`` to about 2⁻⁶² relative before its single rounding; expm1 and tanh are built on it,
the logarithm is 2·atanh((m − 1)/(m + 1)) with the quotient's remainder. The ``*_pair``
functions return the double-double itself, for compositions that round once at the end.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]
    Mask = NDArray[np.bool_]
    Ints = NDArray[np.int32]

_BITS = 10
_N = 1 << _BITS
# Arguments are clamped here first: e^(−760) is 0 and e^720 is inf, as for any larger |x|,
# and k = rint(x·N/ln2) stays within 2^21, so that k·_L1 below is exact.
_LOW, _HIGH = -760.0, 720.0
_EXPM1_SERIES = 1.0 / 16  # below, expm1 from its Taylor series (the table path cancels)
_TANH_ONE = 19.1  # beyond, tanh is ±1 to the last bit (2e^(−2x) < 2⁻⁵⁴)


def _dd(d: Decimal) -> tuple[float, float]:
    hi = float(d)
    return hi, float(d - Decimal(hi))


@functools.cache
def _constants() -> tuple[Array, Array, float, float, float]:
    """The table 2^(j/N) (high and low parts) and ln2/N split so that k·L1 is exact."""
    with localcontext() as ctx:
        ctx.prec = 45
        ln2 = Decimal(2).ln()
        ratio = (ln2 / _N).exp()
        table = [Decimal(1)]
        for _ in range(1, _N):
            table.append(table[-1] * ratio)  # 1,024 products at 45 digits: ~1e−42 each
        pairs = [_dd(t) for t in table]
        step = ln2 / _N
        mantissa, exponent = math.frexp(float(step))
        l1 = math.ldexp(math.floor(mantissa * 2.0**32) / 2.0**32, exponent)  # 32 bits
        l2 = float(step - Decimal(l1))
        inverse = float(_N / ln2)
    hi = np.array([p[0] for p in pairs])
    lo = np.array([p[1] for p in pairs])
    return hi, lo, l1, l2, inverse


# 1/k! for e^r − 1 − r − r²/2 on |r| ≤ 3.4e−4: the r⁵ term is below 2⁻⁶³ relative.
_C3, _C4 = 1.0 / 6.0, 1.0 / 24.0


def _reduce(x: Array) -> tuple[Array, Array, Ints]:
    """(hi, lo, m) with e^x = (hi + lo)·2^m, |lo| ≤ ulp(hi)/2; x already clamped, not NaN."""
    table_hi, table_lo, l1, l2, inverse = _constants()
    k = np.rint(x * inverse)
    r_hi = x - k * l1  # exact: k·l1 has ≤ 53 bits and lies within a factor 2 of x
    kl2 = k * l2
    r = r_hi - kl2
    r_lo = (r_hi - r) - kl2  # the rounding error of r, to first order
    r2 = r * r
    p = r + (r_lo + r2 * (0.5 + r * (_C3 + r * _C4)))  # e^r − 1
    ki = k.astype(np.int32)
    j = ki & (_N - 1)
    t_hi = table_hi[j]
    tail = table_lo[j] + t_hi * p
    hi = t_hi + tail
    lo = (t_hi - hi) + tail  # Fast2Sum: |t_hi| > |tail|
    return hi, lo, ki >> _BITS


def _clamped(x: Array) -> Array:
    return np.clip(x, _LOW, _HIGH)


def exp(x: Array) -> Array:
    """e^x, within 0.51 ULP (0.5 + 2⁻⁹ before the subnormal range), NaN kept, no warning."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN → int32 in _reduce stays NaN
        hi, _, m = _reduce(_clamped(x))
        return np.ldexp(hi, m)


def exp_pair(x: Array) -> tuple[Array, Array]:
    """e^x as hi + lo (about 2⁻⁶² relative) for −700 < x < 700, for steep compositions."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        hi, lo, m = _reduce(_clamped(x))
        return np.ldexp(hi, m), np.ldexp(lo, m)


# Taylor coefficients 1/k!, k = 3 … 11, for expm1 on |x| < 1/16: the x¹¹ term is 2⁻⁶⁰ relative.
_EXPM1_TAYLOR = tuple(1.0 / math.factorial(k) for k in range(3, 12))
# tanh x = x + x³·Σ cₖ x²ᵏ on |x| < 1/32 (Bernoulli numbers): the x¹³ term is 2⁻⁶⁷ relative.
_TANH_TAYLOR = (-1.0 / 3.0, 2.0 / 15.0, -17.0 / 315.0, 62.0 / 2835.0, -1382.0 / 155925.0)
_TANH_SERIES = 1.0 / 32


def horner(coefficients: tuple[float, ...], s: Array) -> Array:
    """Σ cₖ sᵏ, in place (two passes a term)."""
    acc = np.full_like(s, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        acc *= s
        acc += c
    return acc


def _on_subset(mask: Mask, out: Array, f: Callable[[Array], Array], x: Array) -> None:
    """out[mask] = f(x[mask]), computed for the (usually few) selected entries only."""
    if mask.any():
        where = np.flatnonzero(mask)
        out.flat[where] = f(x.flat[where])


def expm1_pair(x: Array) -> tuple[Array, Array]:
    """e^x − 1 as hi + lo, about 2⁻⁶⁰ relative, over the whole double range (NaN kept).

    e^x − 1 from the table: TwoSum(hi, −1) is exact and the low part adds back; below |x| =
    1/16, where that subtraction would leave too few correct bits, the Taylor series.
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # a = inf: its NaNs are replaced below
        a, b = exp_pair(x)
        s = a - 1.0
        v = s - a
        t = ((a - (s - v)) + (-1.0 - v)) + b  # TwoSum(a, −1): the exact error of s, then b
        series = np.abs(x) < _EXPM1_SERIES
        _on_subset(series, s, lambda v: v, x)
        _on_subset(series, t, lambda v: v * v * (0.5 + v * horner(_EXPM1_TAYLOR, v)), x)
        hi = s + t
        lo = (s - hi) + t
    over = a == np.inf
    return np.where(over, a, hi), np.where(over, 0.0, lo)


def expm1(x: Array) -> Array:
    """e^x − 1 within 0.53 ULP over the whole double range; −0 stays −0, NaN stays NaN."""
    hi, _ = expm1_pair(x)
    return np.where(x == 0, x, hi)


def tanh_pair(x: Array) -> tuple[Array, Array]:
    """tanh x as hi + lo (about 2⁻⁶⁰ relative): (1 − E)/(1 + E) with E = e^(−2|x|) a
    double-double, divided with its remainder; below 1/32 (where 1 − E cancels) x and the
    rest of the Taylor series."""
    x = np.asarray(x, dtype=np.float64)
    a = np.minimum(np.abs(x), _TANH_ONE)  # NaN stays NaN
    eh, el = exp_pair(-2.0 * a)  # 0 < E ≤ 1
    nh = 1.0 - eh  # exact: E lies within a factor 2 of 1, or 1 − E is E-free to 2⁻⁵⁴
    nl = ((1.0 - nh) - eh) - el
    dh = 1.0 + eh
    dl = ((1.0 - dh) + eh) + el
    q = nh / dh
    ph, pl = two_prod(q, dh)
    r = (((nh - ph) - pl) + nl - q * dl) / dh
    hi = q + r
    lo = (q - hi) + r
    series = a < _TANH_SERIES  # there (a, a³·(…)) is the pair: a exact, the rest tiny
    _on_subset(series, hi, lambda v: v, a)
    _on_subset(series, lo, lambda v: v * (v * v) * horner(_TANH_TAYLOR, v * v), a)
    negative = np.signbit(x)  # tanh is odd: −0 → −0
    return np.where(negative, -hi, hi), np.where(negative, -lo, lo)


def tanh(x: Array) -> Array:
    """tanh x, within 0.51 ULP (see :func:`tanh_pair`); ±0, ±inf (→ ±1) and NaN as IEEE
    says."""
    hi, lo = tanh_pair(x)
    return np.where(hi == 0, hi, hi + lo)  # keeps −0


def two_prod(a: Array, b: Array) -> tuple[Array, Array]:
    """a·b = p + e exactly (Dekker), without numerics.two_prod's guards: for finite a, b whose
    halves' products neither overflow nor underflow (here both within 2^±60 of 1, say)."""
    ca = 134217729.0 * a  # 2**27 + 1
    ah = ca - (ca - a)
    al = a - ah
    cb = 134217729.0 * b
    bh = cb - (cb - b)
    bl = b - bh
    p = a * b
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


# 2/(2k + 1), k = 1 … 12: log m = 2·atanh s = 2s + s·Σ (2/(2k+1))·s²ᵏ for |s| ≤ 0.1716, where
# the s²⁵ term is below 2⁻⁶⁰ relative.
_ATANH_TAYLOR = tuple(2.0 / (2 * k + 1) for k in range(1, 13))
_SQRT_HALF = 0.7071067811865476


def log_pair(uh: Array, ul: Array) -> tuple[Array, Array]:
    """ln(uh + ul) as hi + lo (about 2⁻⁶² relative) for uh > 0 finite, |ul| ≤ ulp(uh): 2^e·m with m in [√½, √2), then
    log m = 2·atanh((m − 1)/(m + 1)), the quotient carried with its remainder."""
    m, e = np.frexp(uh)  # m in [½, 1)
    low = m < _SQRT_HALF
    m = np.where(low, 2.0 * m, m)
    e = np.where(low, e - 1, e).astype(np.float64)
    ml = np.ldexp(ul, -e.astype(np.int32))  # the low part, scaled alike (exact or tiny)
    n = (m - 1.0) + ml  # m − 1 exact (Sterbenz); ml ≪ ulp of it unless m ≈ 1
    nl = ((m - 1.0) - n) + ml
    d = m + 1.0
    dl = _two_sum_error(m, 1.0, d) + ml
    s = n / d
    ph, pl = two_prod(s, d)
    sl = (((n - ph) - pl) + nl - s * dl) / d
    s2 = s * s
    series = s * (s2 * horner(_ATANH_TAYLOR, s2))
    ln2_hi, ln2_lo = _ln2()
    head = e * ln2_hi  # exact: e has ≤ 11 bits, ln2_hi 42
    body = 2.0 * s
    out = head + body
    out_lo = ((head - out) + body) + (series + 2.0 * sl + e * ln2_lo)
    hi = out + out_lo
    return hi, (out - hi) + out_lo


@functools.cache
def _ln2() -> tuple[float, float]:
    """ln 2 as hi + lo with hi to 42 bits, so that e·hi is exact for any binary exponent e."""
    with localcontext() as ctx:
        ctx.prec = 45
        ln2 = Decimal(2).ln()
    mantissa, exponent = math.frexp(float(ln2))
    hi = math.ldexp(math.floor(mantissa * 2.0**42) / 2.0**42, exponent)
    return hi, float(ln2 - Decimal(hi))


def _two_sum_error(a: Array | float, b: Array | float, s: Array) -> Array:
    """The exact error a + b − s of s = fl(a + b) (Knuth's TwoSum)."""
    v = s - a
    return (a - (s - v)) + (b - v)


def log(x: Array) -> Array:
    """ln x within 0.52 ULP; 0 → −inf, x < 0 → NaN, inf → inf, NaN kept, no warning."""
    x = np.asarray(x, dtype=np.float64)
    ok = (x > 0) & (x < np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        y, _ = log_pair(np.where(ok, x, 1.0), np.zeros_like(x))
        return np.where(ok, y, np.log(x))  # only 0, negatives, inf, NaN: fixed by IEEE


def log1p(x: Array) -> Array:
    """ln(1 + x) within 0.52 ULP, 1 + x carried exactly; −1 → −inf, x < −1 → NaN."""
    x = np.asarray(x, dtype=np.float64)
    tiny = np.abs(x) < 2.0**-60  # log1p x = x to the last bit (and keeps −0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        uh = 1.0 + x
        ul = _two_sum_error(x, 1.0, uh)
        ok = (uh > 0) & (uh < np.inf)
        y, _ = log_pair(np.where(ok, uh, 1.0), np.where(ok, ul, 0.0))
        y = np.where(ok, y, np.log(uh))  # only 0, negatives, inf, NaN: fixed by IEEE
    return np.where(tiny, x, y)


def power(x: Array, y: float) -> Array:
    """x^y for x ≥ 0 and a finite y > 0, within about 0.52 ULP: e^(y·ln x), ln x and its
    product with y carried as double-doubles (0 → 0, inf → inf, NaN kept)."""
    x = np.asarray(x, dtype=np.float64)
    ok = (x > 0) & (x < np.inf)
    lh, ll = log_pair(np.where(ok, x, 1.0), np.zeros_like(x))
    ph, pl = _two_prod_wide(lh, y)
    pl += ll * y
    eh, el = exp_pair(ph)
    with np.errstate(over="ignore"):
        out = eh + (el + eh * pl)
    return np.where(ok, out, np.where(x == 0, 0.0, x))  # 0, inf and NaN map to themselves


def _two_prod_wide(a: Array, b: float) -> tuple[Array, Array]:
    """a·b = p + e exactly for |a| < 2⁹⁰ and any b below 2⁹⁰: here a = ln x ≤ 745."""
    return two_prod(a, np.full_like(a, b))
