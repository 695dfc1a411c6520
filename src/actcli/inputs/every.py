"""``--all DTYPE``: every value of a narrow float type (8-bit ones too), in ascending order, from its bit
patterns ordered as the numbers are (−0 before +0); streamed a block at a time, so float32's
4.3 billion values keep memory flat."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from actcli.errors import UsageError

EVERY_BLOCK = 1 << 20


def every_value(
    dtype: str, span: tuple[float, float] | None = None, special: bool = False
) -> Iterator[np.ndarray]:
    """Every finite value of ``dtype`` in ascending order (in [a, b] with ``span``), ±0 both,
    as float64 blocks; with ``special`` also −inf first and +inf and nan last. Flat memory:
    float32's 4.3 billion values come EVERY_BLOCK at a time."""
    low, high, kind, unsigned, sign = _every_keys(dtype, span)
    if special:
        yield np.array([-np.inf])
    for start in range(low, high + 1, EVERY_BLOCK):
        keys = np.arange(start, min(start + EVERY_BLOCK, high + 1), dtype=np.int64)
        if not _has_negative_zero(dtype):  # (its pattern of −0 is the type's nan)
            keys = keys[keys != -1]
        bits = np.where(keys >= 0, keys, (-(keys + 1)) | sign).astype(unsigned)
        yield bits.view(kind).astype(np.float64)
    if special:
        yield np.array([np.inf, np.nan])


def every_count(dtype: str, span: tuple[float, float] | None = None, special: bool = False) -> int:
    """How many values :func:`every_value` yields (without making them)."""
    low, high, *_ = _every_keys(dtype, span)
    missing = 0 if _has_negative_zero(dtype) or not low <= -1 <= high else 1
    return max(high - low + 1, 0) - missing + (3 if special else 0)


def _has_negative_zero(dtype: str) -> bool:
    from actcli import dtypes

    return dtypes.lookup(dtype).negative_zero


def _every_keys(dtype: str, span: tuple[float, float] | None) -> tuple[int, int, Any, Any, int]:
    """The first and last ordered keys of ``dtype``'s finite values (in [a, b] with ``span``),
    its numpy type, the unsigned type of its bits and its sign bit."""
    from actcli import dtypes

    if dtype not in dtypes.NARROW:
        raise UsageError(
            f"must be one of {', '.join(dtypes.NARROW)}, got {dtype!r}", option="every"
        )
    t = dtypes.lookup(dtype)
    unsigned, kind = t.unsigned, t.numpy
    sign = 1 << (t.width - 1)
    top = int(dtypes.to_bits(t.largest, dtype))
    # ordered keys: negative numbers −1 (−0) … −top−1 (−max), then 0 (+0) … top (+max)
    low, high = -top - 1, top
    if span is not None:
        a, b = sorted(span)
        low, high = (
            max(low, _key(a, kind, unsigned, sign, up=True)),
            min(high, _key(b, kind, unsigned, sign, up=False)),
        )
    return low, high, kind, unsigned, sign


def _key(value: float, kind: Any, unsigned: Any, sign: int, *, up: bool) -> int:
    """The ordered key of the first value of the type ≥ ``value`` (``up``) or ≤ it."""
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.array(value).astype(kind)
    wide = float(rounded)
    bits = int(rounded.view(unsigned))
    key = bits if bits < sign else -(bits & (sign - 1)) - 1
    if not math.isfinite(wide):  # (a type without infinities overflows to nan)
        return (1 if value > 0 else -1) * (1 << 62)  # beyond the largest value: clamped
    if up and wide < value:
        return key + 1
    if not up and wide > value:
        return key - 1
    return key
