"""A range as points: ``steps`` points from a to b, each the double nearest to the exact
decimal a + k(b − a)/(steps − 1) (:func:`grid`), made a block at a time (:func:`grid_blocks`)
so that 10⁸ steps need no 800 MB."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from actcli.errors import UsageError

RANGE_BLOCK = 1 << 20  # grid points at a time: 1e8 steps need no 800 MB
MAX_STEPS = 100_000_000
_EXACT_MAX = 1 << 18  # grid points worked out with Python integers: at most about 0.1 s
_EXACT_FLOAT = 1 << 53  # integers below this are exact doubles

_Points = Callable[[int, int], np.ndarray]  # points start..stop-1 of a grid


def grid(a: float, b: float, steps: int) -> np.ndarray:
    """``steps`` points from a to b, the k-th the double nearest to the exact decimal
    a + k(b − a)/(steps − 1), where a and b are the decimals that print as them (so
    ``grid(-1, 1, 11)`` holds −0.4 and 0.2, not linspace's −0.3999999999999999); a > b counts
    down; one step is [a]."""
    return np.concatenate([np.empty(0), *grid_blocks(a, b, steps)])


def grid_blocks(a: float, b: float, steps: int) -> Iterator[np.ndarray]:
    """The points of :func:`grid`, RANGE_BLOCK at a time, so that no size needs the memory of
    the whole grid. The ends are a and b themselves (a −0.0 stays −0.0)."""
    a, b = finite_span(a, b)
    points = _grid_rule(a, b, steps) if steps > 1 else (lambda start, stop: np.full(1, a))
    for start in range(0, steps, RANGE_BLOCK):
        stop = min(start + RANGE_BLOCK, steps)
        block = points(start, stop)
        if start == 0:
            block[0] = a
        if stop == steps:
            block[-1] = b if steps > 1 else a
        yield block


def finite_span(a: float, b: float) -> tuple[float, float]:
    """A range's two ends as floats; an error unless both are finite."""
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)):
        raise UsageError("needs two finite numbers", option="range")
    return a, b


def _grid_rule(a: float, b: float, steps: int) -> _Points:
    """How to compute the points, the fastest way that rounds each exactly where one does.

    With a and b scaled to integers A, B by 10**d, point k is (A·n + (B − A)·k) / (n·10**d),
    n = steps − 1, reduced by the common divisor. When every integer in that is below 2**53,
    float64 holds them exactly and its one division rounds correctly (vectorised). Otherwise
    Python's integer division, also correctly rounded, for up to _EXACT_MAX points; beyond,
    numpy.linspace's formula (within an ULP or two of the larger end; on a/2 and b/2 where
    b − a overflows).
    """
    n = steps - 1
    low, high, scale = _decimal_integers(a, b)
    offset, slope, divisor = low * n, high - low, n * scale
    common = math.gcd(offset, slope, divisor)
    offset, slope, divisor = offset // common, slope // common, divisor // common
    if all(abs(v) < _EXACT_FLOAT for v in (offset, slope * n, offset + slope * n, divisor)):

        def in_float64(start: int, stop: int) -> np.ndarray:
            k = np.arange(start, stop, dtype=np.float64)
            k *= float(slope)  # integers below 2**53 throughout: exact
            k += float(offset)
            k /= float(divisor)  # the one rounding
            return k

        return in_float64
    if steps <= _EXACT_MAX:
        return lambda start, stop: np.array(
            [(offset + slope * k) / divisor for k in range(start, stop)], dtype=np.float64
        )
    unit = 1.0 if math.isfinite(b - a) else 2.0  # ±1e308: the halves' span is finite
    first, step = a / unit, (b / unit - a / unit) / n

    def linspace(start: int, stop: int) -> np.ndarray:
        k = np.arange(start, stop, dtype=np.float64)
        k *= step  # numpy.linspace's own formula, on the halves when b − a overflows
        k += first
        k *= unit  # exact: a power of two
        return k

    return linspace


def _decimal_integers(a: float, b: float) -> tuple[int, int, int]:
    """(A, B, 10**d): a and b as the shortest decimals that print as them (their repr),
    both scaled by the same power of ten to integers."""
    from decimal import Decimal  # 3 ms of start-up that only a range pays

    parts = [Decimal(repr(v)).as_tuple() for v in (a, b)]
    exponents = [int(p.exponent) for p in parts]  # finite numbers: an int
    d = max(0, *(-e for e in exponents))

    def scaled(sign: int, digits: tuple[int, ...], exponent: int) -> int:
        value = int("".join(map(str, digits)) + "0" * (exponent + d))  # exponent + d >= 0
        return -value if sign else value

    low, high = (scaled(p.sign, p.digits, e) for p, e in zip(parts, exponents, strict=True))
    return low, high, int("1" + "0" * d)
