"""Compensated sums and double-double quotients along the last axis, vectorised over rows.

:func:`sum_dd` sums each row as a double-double (hi, lo) with a pairwise cascade of Knuth's
two_sum: every level adds neighbours and keeps their rounding errors exactly, and the errors
(each below half an ulp of a partial sum) are added up at the end. The result is within about
``u² log₂(n) Σ|a|`` of the exact sum (u = 2⁻⁵³), i.e. faithful for the sums used here (positive
terms), at the cost of a few numpy passes over the row — no Python loop over its entries, so a
row of 1e5 costs the same per entry as a batch of short rows.

:func:`div_dd` divides a double-double by a float, exactly up to the final rounding of lo.

Every function takes finite float64 arrays (callers mask non-finite entries out first) and
raises no floating-point warning on them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from actcli.numerics import two_sum

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]


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


def split(a: Array) -> tuple[Array, Array]:
    """Veltkamp split of |a| < 1e300 (no masks: the caller bounds a): a = hi + lo exactly."""
    c = 134217729.0 * a  # 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a: Array, b: float) -> tuple[Array, Array]:
    """a·b = p + e exactly, for a float b and products of the split halves that neither
    overflow nor underflow (|a|, |b| within 2^±300 of 1, say)."""
    p = a * b
    ah, al = split(a)
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
    ph, pl = two_prod(qh, divisor)
    r = hi - ph  # exact (Sterbenz): ph is within an ulp of hi
    r -= pl
    r += lo
    r /= divisor
    return qh, r
