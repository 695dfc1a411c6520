"""Float types: the one home of their facts.

Every other module asks here what a float type is (:data:`TYPES`: width, precision, exponent
range, smallest and largest values), how far apart its values are (:func:`ulp`), how a value
is rounded to it (:func:`round_to`, :func:`rounded`), how its bits are read and written
(:func:`to_bits`, :func:`from_bits`), and how one of its values is written: the shortest string
that reads back as that value *of that type* (:func:`spell`, :func:`spell_column`), so that
bfloat16's 0.1 is ``0.1`` in every table, CSV, JSON document and finding.

The spelling is Python's ``repr`` of the double nearest that shortest decimal, except that
exponents are not zero-padded (``1e-7``, not ``1e-07``) and 1e-5 … 9.99e-5 are positional
(``0.000025``): the spelling polars writes for float64, which large outputs go through.

bfloat16 comes from ml_dtypes, imported only when bfloat16 is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from actcli.errors import UsageError


@dataclass(frozen=True)
class FloatType:
    """One binary floating-point format: IEEE 754's binary64/32/16, Google's bfloat16, and the
    8-bit formats of OCP (float8_e4m3fn, float8_e5m2) and Graphcore (the ``fnuz`` ones).

    ``precision`` counts the significand's bits with the implicit one; a normal value is
    m · 2^e with 1 ≤ m < 2 and ``emin`` ≤ e ≤ ``emax``. ``largest`` is the largest finite
    value (below (2 − 2^(1−p))·2^emax where the top patterns are NaN, as in e4m3fn).
    ``overflow``: what a value beyond the range rounds to, ``"inf"`` or ``"nan"`` (the
    formats without infinities); ``negative_zero``: False for the ``fnuz`` formats, whose
    pattern of −0 is their NaN.
    """

    name: str
    width: int
    precision: int
    emin: int
    emax: int
    largest: float
    overflow: str = "inf"
    negative_zero: bool = True

    @cached_property
    def numpy(self) -> np.dtype[Any]:
        """The numpy dtype (bfloat16's and the 8-bit formats' from ml_dtypes, imported only
        when they are asked for)."""
        if self.name in ("float64", "float32", "float16"):
            return np.dtype(self.name)
        import ml_dtypes

        kind: np.dtype[Any] = np.dtype(getattr(ml_dtypes, self.name))
        return kind

    @property
    def unsigned(self) -> np.dtype[Any]:
        """The unsigned integer type of the same width, for bit patterns."""
        return np.dtype(f"uint{self.width}")

    @property
    def smallest_normal(self) -> float:
        return math.ldexp(1.0, self.emin)

    @property
    def smallest_subnormal(self) -> float:
        return math.ldexp(1.0, self.emin + 1 - self.precision)

    @property
    def overflow_threshold(self) -> float:
        """Half an ULP above the largest value: from here on a value rounds beyond it."""
        return self.largest + math.ldexp(1.0, math.frexp(self.largest)[1] - 1 - self.precision)

    @property
    def epsilon(self) -> float:
        """The spacing of values in [1, 2)."""
        return math.ldexp(1.0, 1 - self.precision)

    @property
    def digits(self) -> int:
        """Significant decimal digits that tell any two values of the type apart."""
        return math.ceil(self.precision * math.log10(2)) + 1

    @property
    def narrow(self) -> bool:
        """Narrower than float64: computed in float64 and rounded to this type."""
        return self.width < 64


def _ieee(name: str, width: int, precision: int, emax: int) -> FloatType:
    largest = math.ldexp(2.0 - math.ldexp(1.0, 1 - precision), emax)
    return FloatType(name, width, precision, 1 - emax, emax, largest)


TYPES: dict[str, FloatType] = {
    t.name: t
    for t in (
        _ieee("float64", 64, 53, 1023),
        _ieee("float32", 32, 24, 127),
        _ieee("float16", 16, 11, 15),
        _ieee("bfloat16", 16, 8, 127),
        _ieee("float8_e5m2", 8, 3, 15),
        FloatType("float8_e4m3fn", 8, 4, -6, 8, 448.0, overflow="nan"),
        FloatType("float8_e4m3fnuz", 8, 4, -7, 7, 240.0, "nan", negative_zero=False),
        FloatType("float8_e5m2fnuz", 8, 3, -15, 15, 57344.0, "nan", negative_zero=False),
    )
}
NAMES = tuple(TYPES)
NARROW = tuple(name for name, t in TYPES.items() if t.narrow)
FLOAT8 = tuple(name for name, t in TYPES.items() if t.width == 8)


def lookup(name: str, option: str = "dtype") -> FloatType:
    """The float type called ``name``; a usage error (naming ``option``) for any other."""
    try:
        return TYPES[name]
    except (KeyError, TypeError):
        raise UsageError(
            f"must be one of {', '.join(NAMES)}, got {name!r}", option=option
        ) from None


def of(values: Any) -> FloatType | None:
    """The float type of a numpy array or scalar, None for anything else (ints, objects)."""
    dtype = getattr(values, "dtype", None)
    return None if dtype is None else TYPES.get(np.dtype(dtype).name)


def numpy_dtype(name: str) -> np.dtype[Any]:
    """The numpy dtype of the float type called ``name``."""
    return lookup(name).numpy


# ---------------------------------------------------------------------------------- values

EXPONENT_BITS = 0x7FF0_0000_0000_0000  # a float64's exponent field


def ulp(reference: np.ndarray, name: str) -> np.ndarray:
    """The spacing of ``name``'s values at |reference| (the subnormal spacing below its
    smallest normal), as float64. At a power of two this is the spacing above it."""
    t = lookup(name)
    wide = np.asarray(reference, dtype=np.float64)
    # the exponent field alone is the power of 2 at or below |reference| (0 below normal)
    power = (wide.view(np.uint64) & np.uint64(EXPONENT_BITS)).view(np.float64)
    spacing: np.ndarray = np.maximum(power * t.epsilon, t.smallest_subnormal)
    return spacing


def round_to(values: Any, name: str) -> np.ndarray:
    """``values`` rounded once to ``name`` (to nearest, ties to even; ±inf beyond its range),
    as an array of that type."""
    with np.errstate(over="ignore"):
        narrow: np.ndarray = np.asarray(values).astype(numpy_dtype(name))
    return narrow


def rounded(values: Any, name: str) -> np.ndarray:
    """``values`` rounded to ``name`` and held as float64 (which holds every narrow value)."""
    wide: np.ndarray = round_to(np.asarray(values, dtype=np.float64), name).astype(np.float64)
    return wide


def round_correctly(
    y: np.ndarray,
    name: str,
    slack: float,
    decide: Callable[[int, float], int | None] | None = None,
) -> np.ndarray:
    """Results rounded to ``name`` as the exact values they approximate would be.

    ``y``: float64 results within ``slack`` ULP (of float64) of the exact values. Rounding y
    once gives the exact value's rounding except where y is nearer than that to a rounding
    boundary of the type (the midpoint between two neighbours, or the overflow threshold):
    there ``decide(i, boundary)`` says on which side of the boundary the i-th exact value
    lies (−1, 0, 1; 0 is a tie, rounded to even), and None keeps y's rounding. Such results
    are rare (about 2^(p − 53) · slack of them, p the type's precision) except where y is
    exactly a midpoint, as silu(x) = x/2 is for tiny x.
    """
    narrow = round_to(y, name)
    if decide is None or not lookup(name).narrow or not y.size:
        return narrow
    with np.errstate(over="ignore", invalid="ignore"):
        reach = np.abs(y) * (slack * 2.0**-52) + slack * TYPES["float64"].smallest_subnormal
        below, above = round_to(y - reach, name), round_to(y + reach, name)
        near = np.flatnonzero((below != above) & np.isfinite(y))
    t = lookup(name)
    for i in near.tolist():
        low, high = float(below[i]), float(above[i])
        if not (math.isfinite(low) and math.isfinite(high)):  # beyond the largest value
            boundary = math.copysign(t.overflow_threshold, y[i])
        else:
            boundary = (low + high) / 2  # (exact: a narrow type's midpoints are doubles)
        answer = decide(i, boundary)
        if answer is None:
            continue
        if answer == 0:  # a tie: the neighbour whose last bit is 0
            even = int(np.asarray(below[i]).view(t.unsigned)) % 2 == 0
            narrow[i] = below[i] if even else above[i]
        else:
            narrow[i] = above[i] if answer > 0 else below[i]
    return narrow


def to_bits(values: Any, name: str) -> np.ndarray:
    """The bit patterns of ``values`` rounded to ``name``, as unsigned integers."""
    t = lookup(name)
    bits: np.ndarray = round_to(values, name).view(t.unsigned)
    return bits


def from_bits(bits: Any, name: str) -> np.ndarray:
    """The values of ``name`` with these bit patterns, as an array of that type."""
    t = lookup(name)
    values: np.ndarray = np.asarray(bits).astype(t.unsigned).view(t.numpy)
    return values


# ---------------------------------------------------------------------------------- spelling


def format_number(value: float, precision: int | None = None) -> str:
    """A double as the shortest string that reads back as it, or ``precision`` significant
    digits; nan and ±inf plainly."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if precision is not None:
        return _spelled(f"{value:.{precision}g}")
    return _spelled(repr(float(value)))


def _spelled(text: str) -> str:
    """A Python float string in actcli's spelling (see the module's docstring)."""
    mantissa, sep, exponent = text.partition("e-")
    if not sep:
        return text
    if exponent == "05":
        sign = "-" if mantissa.startswith("-") else ""
        return f"{sign}0.0000{mantissa.lstrip('-').replace('.', '')}"
    return f"{mantissa}e-{int(exponent)}"


def spell(value: Any, name: str | None = None, precision: int | None = None) -> str:
    """The shortest string that reads back as ``value`` in float type ``name`` (by default
    the type of a numpy scalar ``value``, else float64); ``precision`` significant digits
    instead when given."""
    t = lookup(name) if name is not None else (of(value) or TYPES["float64"])
    wide = float(value)
    if precision is not None or not t.narrow or not math.isfinite(wide):
        return format_number(wide, precision)
    kind = t.numpy
    target = np.array(wide).astype(kind)
    for digits in range(1, t.digits + 1):
        text = f"{wide:.{digits}g}"
        with np.errstate(over="ignore"):  # near the type's largest value a candidate overflows
            if np.array(float(text)).astype(kind) == target:
                return _spelled(repr(float(text)))
    return format_number(wide)  # unreachable: t.digits always suffice


# Below this many values a column is spelled value by value: polars' import costs more.
_POLARS_MIN = 20_000
# polars writes float32 in Python's spelling except where the shortest decimal is in
# 1e-6 … 1e-5 (positionally: 0.000007630131) or 1e13 … 1e16 (8.1860996e+14); the bounds are
# a little wider, since a value just below 1e13 may be spelled 1e13 (respelling is exact
# anywhere, only slower)
_POLARS_F32_ODD = ((0.99999e-6, 1.00001e-5), (0.99999e13, 1.00001e16))


def spell_column(values: np.ndarray, precision: int | None = None) -> list[str]:
    """:func:`spell` for every value of a column of one float type, vectorised: float32 by
    polars (fixing the magnitudes where its spelling differs), the 16- and 8-bit types by
    spelling each distinct value once (there are at most 65,536)."""
    t = of(values)
    if t is None or precision is not None or values.size < _POLARS_MIN:
        return [spell(v, None if t is None else t.name, precision) for v in values]
    if t.name == "float32" or t.name == "float64":
        return _spell_polars(values, t)
    unique, where = np.unique(values.view(t.unsigned), return_inverse=True)
    table = np.array([spell(v, t.name) for v in unique.view(t.numpy)], dtype=object)
    spelled: list[str] = table[where.reshape(-1)].tolist()
    return spelled


def _spell_polars(values: np.ndarray, t: FloatType) -> list[str]:
    import polars as pl

    series = pl.Series(values, nan_to_null=True).cast(pl.String).fill_null("nan")
    texts: list[str] = series.to_list()
    with np.errstate(invalid="ignore"):  # (a signalling nan's cast)
        magnitude = np.abs(values.astype(np.float64))
        odd = np.isinf(magnitude)
        if t.name == "float32":
            for low, high in _POLARS_F32_ODD:
                odd |= (magnitude >= low) & (magnitude < high)
    for i in np.flatnonzero(odd).tolist():
        # polars' digits are the shortest already; only their layout differs
        texts[i] = format_number(float(texts[i]))
    return texts
