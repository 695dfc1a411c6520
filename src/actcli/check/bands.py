"""The bands of x that check tabulates: their layout, and each row's band.

Bands by sign and binade of |x| ([2^e, 2^(e+1)) in |x|, so a negative band is
(-2^(e+1), -2^e]), x = ±0 a band of its own. When more than MAX_BANDS binades hold values,
runs of k adjacent binades of one sign are merged, k the smallest that leaves at most
MAX_BANDS; when fewer, each binade is split into 2, 4 or 8 equal parts, as many as keep the
count at most MAX_BANDS. A band with under 1 % of the rows is then merged into its neighbour
of the same sign (the one nearer 0 if there is one). Given edges E1 < ... < Ek make the bands
x < E1, E1 <= x < E2, ..., x >= Ek. Empty bands are left out, non-finite x too (they are
reported at the specials); the outer ends are the data's extremes.

A first look at every x (:class:`Scan`, block by block) counts the rows of each unit of x (an
eighth of a binade); :func:`layout` makes the bands from those counts, and
:meth:`Layout.groups` finds each row's band with one look-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_BANDS = 12

# A unit of x is an eighth of a binade on one side of 0, keyed by 8 × its binade (float64's
# exponent field + 64, subnormal x by their own binade below) + the eighth (the top 3 bits of
# the significand), + SIDE when x is negative. Keys 0 and SIDE are ±0; binade VIRTUAL − 1
# holds ±inf and nan.
VIRTUAL = 2048 + 64
SIDE = VIRTUAL * 8
FREXP = 64 + 1022  # a unit's binade less frexp's exponent of its x


def unit_keys(x: np.ndarray) -> np.ndarray:
    """Each x's unit (see above), from its bits: no frexp, one pass or two."""
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.int64)
    magnitude = (bits >> 49) & 0x3FFF  # exponent field and top 3 bits of the significand
    keys = magnitude + 512 + ((bits >> 63) & SIDE)  # (bits >> 63: -1 for negative x, else 0)
    tiny = np.flatnonzero(magnitude < 8)  # ±0 and subnormal x: their binade from x·2^64
    if tiny.size:
        scaled = (x[tiny] * 2.0**64).view(np.int64)
        keys[tiny] = ((scaled >> 49) & 0x3FFF) + ((bits[tiny] >> 63) & SIDE)
    return keys


@dataclass
class Scan:
    """What a first look at every x tells: the bands' layout and the order of x."""

    rows: int = 0
    lo: float = math.inf  # the extremes of the finite x
    hi: float = -math.inf
    ascending: bool = True  # the finite x, in order
    last: float = -math.inf  # the last finite x seen
    special: bool = False  # some x is ±0, ±inf or nan
    finite: bool = True  # every x is finite
    units: np.ndarray | None = None  # rows by unit (default bands)

    def add(self, x: np.ndarray) -> None:
        """Look at a block of x (float64)."""
        self.rows += x.size
        finite = np.isfinite(x)
        if not finite.all():
            self.special, self.finite, x = True, False, x[finite]
        if not x.size:
            return
        self.special = self.special or not np.all(x)
        self.lo, self.hi = min(self.lo, float(x.min())), max(self.hi, float(x.max()))
        if self.ascending:
            self.ascending = x[0] >= self.last and bool(np.all(x[1:] >= x[:-1]))
            self.last = float(x[-1])
        if self.units is not None:
            self.units += np.bincount(unit_keys(x), minlength=2 * SIDE)


def new_scan(by_units: bool) -> Scan:
    """A scan to fill: with the rows of each unit of x (for the default bands) or without."""
    return Scan(units=np.zeros(2 * SIDE, dtype=np.int64) if by_units else None)


@dataclass
class Layout:
    """The bands: each one's (lo, hi), and how a row's band is found (its group: band + 1,
    0 for non-finite x)."""

    spans: list[tuple[float, float]]
    table: np.ndarray | None = None  # default bands: the group of each unit key
    cuts: np.ndarray | None = None  # given edges

    def groups(self, x: np.ndarray) -> np.ndarray:
        if self.table is not None:
            found: np.ndarray = self.table[unit_keys(x)]
            return found
        assert self.cuts is not None
        kind = np.int16 if self.cuts.size < 2**15 - 1 else np.int32
        inside = np.searchsorted(self.cuts, x, side="right").astype(kind) + 1
        return np.where(np.isfinite(x), inside, 0).astype(kind)


def layout(scan: Scan, edges: list[float] | None) -> Layout:
    """The bands of the x scanned: by sign and binade (``edges`` None), or between ``edges``."""
    return _default_layout(scan) if edges is None else _edge_layout(scan, edges)


def band_ids(
    x: np.ndarray, edges: list[float] | None
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Each row's band (-1: none, x not finite) and each band's (lo, hi), in ascending x."""
    x = np.ravel(np.asarray(x, dtype=np.float64))
    seen = new_scan(by_units=edges is None)
    seen.add(x)
    bands = layout(seen, edges)
    groups = bands.groups(x).astype(np.intp)
    count = np.bincount(groups, minlength=len(bands.spans) + 1)[1:]
    kept = np.flatnonzero(count)  # empty bands are left out
    renumber = np.full(len(bands.spans) + 1, -1)
    renumber[kept + 1] = np.arange(kept.size)
    return renumber[groups], [bands.spans[j] for j in kept]


def _edge_layout(scan: Scan, edges: list[float]) -> Layout:
    cuts = np.asarray(edges, dtype=np.float64)
    lo, hi = scan.lo, scan.hi
    bounds = [lo, *cuts.tolist(), hi]
    spans = [(max(bounds[j], lo), min(bounds[j + 1], hi)) for j in range(len(cuts) + 1)]
    return Layout(spans, cuts=cuts)


def _default_layout(scan: Scan) -> Layout:
    """Bands by sign and binade of |x|, merged or split to at most MAX_BANDS (see above)."""
    assert scan.units is not None
    by_unit = scan.units.reshape(2, VIRTUAL, 8)  # [negative, binade, eighth]
    populated = by_unit[:, 1:-1].sum(axis=2)  # the binades of finite nonzero x
    units = {side: (np.flatnonzero(populated[int(side)]) + 1).tolist() for side in (True, False)}
    count = len(units[True]) + len(units[False])
    group, parts = 1, 1
    if count > MAX_BANDS:
        while sum(-(-(u[-1] - u[0] + 1) // group) for u in units.values() if u) > MAX_BANDS:
            group += 1
    else:
        while count * parts * 2 <= MAX_BANDS and parts < 8:
            parts *= 2
    low = {side: (u[0] if u else 0) for side, u in units.items()}
    # a unit: (sign, index of the merged binades or of the part of a binade), by ascending |x|
    keys = np.flatnonzero(scan.units)
    keys = keys[((keys % SIDE) >> 3 > 0) & ((keys % SIDE) >> 3 < VIRTUAL - 1)]  # not ±0
    negative, binade, eighth = keys >= SIDE, (keys % SIDE) >> 3, keys & 7
    index = binade - np.where(negative, low[True], low[False])
    if parts > 1:  # the part of a binade: the top bits of its eighth
        index = index * parts + (eighth >> (4 - parts.bit_length()))
    else:
        index //= group

    def span(side: bool, i: int) -> tuple[float, float]:
        exponent = low[side] - FREXP  # |x| = m·2^exponent, m in [½, 1)
        if parts > 1:
            e, p = divmod(i, parts)
            a = math.ldexp(1.0 + p / parts, exponent + e - 1)
            b = math.ldexp(1.0 + (p + 1) / parts, exponent + e - 1)
        else:
            a = math.ldexp(1.0, exponent + i * group - 1)
            b = math.ldexp(1.0, exponent + (i + 1) * group - 1)
        return (-b, -a) if side else (a, b)

    counts = {
        side: np.bincount(index[negative == side], weights=scan.units[keys[negative == side]])
        .round()
        .astype(np.int64)
        for side in (True, False)
    }
    key = {
        (side, int(i)): span(side, int(i)) for side, c in counts.items() for i in np.flatnonzero(c)
    }
    merged = _merge_small(key, counts, scan.rows)
    zeros = bool(scan.units[0] + scan.units[SIDE])
    order = sorted(set(merged.values()) | ({(0.0, 0.0)} if zeros else set()))
    number = {band: j + 1 for j, band in enumerate(order)}  # groups: 0 is no band
    table = np.zeros(2 * SIDE, dtype=np.int16)  # one look-up per row, not a pass per band
    for side in (True, False):
        on = negative == side
        of_index = np.zeros(len(counts[side]), dtype=np.int16)
        for (s, i), band in merged.items():
            if s == side:
                of_index[i] = number[band]
        table[keys[on]] = of_index[index[on]]
    table[[0, SIDE]] = number.get((0.0, 0.0), 0)
    return Layout([(max(a, scan.lo), min(b, scan.hi)) for a, b in order], table=table)


def _merge_small(
    key: dict[tuple[bool, int], tuple[float, float]],
    counts: dict[bool, np.ndarray],
    rows: int,
) -> dict[tuple[bool, int], tuple[float, float]]:
    """Units holding under 1 % of the rows joined to a neighbour of their sign (nearer 0)."""
    merged = dict(key)
    for side, count in counts.items():
        units = sorted(i for s, i in key if s == side)  # ascending |x|
        if len(units) < 2:
            continue
        groups = [[u] for u in units]
        sizes = [int(count[u]) for u in units]
        while len(groups) > 1 and (small := min(sizes)) * 100 < rows:
            g = sizes.index(small)
            target = g - 1 if g > 0 else g + 1
            groups[target] = sorted(groups[target] + groups[g])
            sizes[target] += small
            del groups[g], sizes[g]
        for members in groups:
            spans = [key[(side, u)] for u in members]
            whole = (min(s[0] for s in spans), max(s[1] for s in spans))
            for u in members:
                merged[(side, u)] = whole
    return merged
