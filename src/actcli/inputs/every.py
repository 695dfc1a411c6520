"""``--all DTYPE``: every value of a narrow float type (8-bit ones too), in ascending order, from its bit
patterns ordered as the numbers are (−0 before +0); streamed a block at a time, so float32's
4.3 billion values keep memory flat.

A sweep is a run of ordered keys, so a shard of it (``shard=(i, n)``, :func:`shard_keys`) is a
contiguous run too, and :func:`pieces` cuts one into the blocks that processes evaluate apart
(:mod:`actcli.parallel`): shard after shard, piece after piece, they are the sweep's values in
order."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from actcli.errors import UsageError

EVERY_BLOCK = 1 << 20


@dataclass(frozen=True)
class Piece:
    """Keys ``lo`` to ``hi`` of a float type's ordered values (none when ``hi < lo``), with
    −inf before them (``lead``) and +inf and nan after them (``trail``)."""

    dtype: str
    lo: int
    hi: int
    lead: bool = False
    trail: bool = False

    @property
    def size(self) -> int:
        """How many values it yields."""
        missing = 0 if _has_negative_zero(self.dtype) or not self.lo <= -1 <= self.hi else 1
        return max(self.hi - self.lo + 1, 0) - missing + self.lead + 2 * self.trail

    def values(self) -> np.ndarray:
        """Its values, as float64, in ascending order (nan last)."""
        _, _, kind, unsigned, sign = _every_keys(self.dtype, None)
        keys = np.arange(self.lo, self.hi + 1, dtype=np.int64)
        if not _has_negative_zero(self.dtype):  # (its pattern of −0 is the type's nan)
            keys = keys[keys != -1]
        bits = np.where(keys >= 0, keys, (-(keys + 1)) | sign).astype(unsigned)
        x: np.ndarray = bits.view(kind).astype(np.float64)
        if self.lead or self.trail:
            x = np.concatenate(([-np.inf] * self.lead, x, [np.inf, np.nan] * self.trail))
        return x


def pieces(
    dtype: str,
    span: tuple[float, float] | None = None,
    special: bool = False,
    shard: tuple[int, int] = (1, 1),
    size: int = 0,
) -> list[Piece]:
    """Shard ``shard`` = (i, n) of the sweep (i from 1; see :func:`shard_keys`) in pieces of at
    most ``size`` keys (EVERY_BLOCK by default); ±inf and nan, with ``special``, go with the
    first shard's first piece and the last shard's last piece."""
    size = size or EVERY_BLOCK
    low, high, *_ = _every_keys(dtype, span)
    lo, hi = shard_keys(low, high, shard)
    out = [Piece(dtype, a, min(a + size - 1, hi)) for a in range(lo, hi + 1, size)]
    if not out:
        out = [Piece(dtype, lo, lo - 1)]
    first, last = shard[0] == 1, shard[0] == shard[1]
    if special and first:
        out[0] = Piece(dtype, out[0].lo, out[0].hi, True, out[0].trail)
    if special and last:
        out[-1] = Piece(dtype, out[-1].lo, out[-1].hi, out[-1].lead, True)
    return out


def shard_keys(low: int, high: int, shard: tuple[int, int]) -> tuple[int, int]:
    """Shard i of n (i from 1) of the keys ``low`` to ``high``: the i-th of n contiguous runs,
    as equal as keys allow (the first ones a key longer). Empty when ``hi < lo``."""
    i, n = shard
    count = max(high - low + 1, 0)
    start = low + (i - 1) * (count // n) + min(i - 1, count % n)
    return start, start + count // n + (i <= count % n) - 1


def every_value(
    dtype: str,
    span: tuple[float, float] | None = None,
    special: bool = False,
    shard: tuple[int, int] = (1, 1),
) -> Iterator[np.ndarray]:
    """Every finite value of ``dtype`` in ascending order (in [a, b] with ``span``), ±0 both,
    as float64 blocks; with ``special`` also −inf first and +inf and nan last; ``shard``: its
    i-th of n contiguous parts (:func:`pieces`). Flat memory: float32's 4.3 billion values
    come EVERY_BLOCK at a time."""
    for piece in pieces(dtype, span, special, shard):
        if piece.size:
            yield piece.values()


def every_count(
    dtype: str,
    span: tuple[float, float] | None = None,
    special: bool = False,
    shard: tuple[int, int] = (1, 1),
) -> int:
    """How many values :func:`every_value` yields (without making them)."""
    return sum(p.size for p in pieces(dtype, span, special, shard, size=1 << 62))


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
