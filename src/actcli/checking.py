"""What ``check`` computes: how far someone else's values are from actcli's reference, in ULP.

The reference is actcli's float64 value (or derivative), itself within a few float64 ULP of
the exact one; errors are counted in ULP of the dtype being checked (the spacing of that
type's numbers at the reference value).

A row passes when its error is at most ``tolerance`` ULP, or, when ``atol`` or ``rtol`` is
given, when it meets numpy's ``allclose`` test ``|y - ref| <= atol + rtol * |ref|`` (either
suffices: ULP alone is harsh where the reference is near 0). The check passes when every row
does; the findings describe the values, they do not decide the verdict.

Bands: by sign and binade of |x| ([2^e, 2^(e+1)) in |x|, so a negative band is
(-2^(e+1), -2^e]), x = ±0 a band of its own. When more than MAX_BANDS binades hold values,
runs of k adjacent binades of one sign are merged, k the smallest that leaves at most
MAX_BANDS; when fewer, each binade is split into 2, 4 or 8 equal parts, as many as keep the
count at most MAX_BANDS. A band with under 1 % of the rows is then merged into its neighbour
of the same sign (the one nearer 0 if there is one). Given edges E1 < ... < Ek make the bands
x < E1, E1 <= x < E2, ..., x >= Ek. Empty bands are left out, non-finite x too (they are
reported at the specials); the outer ends are the data's extremes.

Memory stays flat in the number of rows: the rows come in blocks (:data:`reading.PairBlocks`)
and are read more than once. A first pass looks at x (the bands, whether x ascends) and takes
a sample of the errors; a second computes the reference and everything else, and holds the
errors around the sample's medians and 99th percentiles, which are exact order statistics: a
further pass is needed only when that guess misses (:class:`_Order`). The exception is x out
of order: the monotonicity scan needs the rows in x order, and holds the finite ones (16 or
24 bytes a row) to sort them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.catalog.binding import Activation
from actcli.errors import DataError

if TYPE_CHECKING:
    from actcli.reading import PairBlocks

# significand bits and smallest normal exponent of each dtype
FORMATS = {
    "float64": (53, -1022),
    "float32": (24, -126),
    "float16": (11, -14),
    "bfloat16": (8, -126),
}
_EXPONENT = 0x7FF0_0000_0000_0000  # a float64's exponent field


def ulp(reference: np.ndarray, dtype: str) -> np.ndarray:
    """The spacing of ``dtype`` numbers at |reference| (the subnormal spacing below normal)."""
    bits, emin = FORMATS[dtype]
    wide = np.asarray(reference, dtype=np.float64)
    # the exponent field alone is the power of 2 at or below |reference| (0 below normal)
    power = (wide.view(np.uint64) & np.uint64(_EXPONENT)).view(np.float64)
    spacing: np.ndarray = np.maximum(power * 2.0 ** (1 - bits), 2.0 ** (emin + 1 - bits))
    return spacing


def ulp_errors(got: np.ndarray, reference: np.ndarray, dtype: str) -> np.ndarray:
    """|got − reference| in ULP; 0 where both are the same non-finite value, inf where one is."""
    return _deviations(got, reference, dtype, saturating=False)[0]


def as_dtype(values: np.ndarray, dtype: str) -> np.ndarray:
    """``values`` rounded to ``dtype`` (to nearest, ±inf beyond its range), as float64."""
    from actcli.evaluation import numpy_dtype

    with np.errstate(over="ignore"):
        rounded: np.ndarray = values.astype(numpy_dtype(dtype)).astype(np.float64)
    return rounded


def _received(values: np.ndarray, kind: np.dtype[Any], dtype: str) -> np.ndarray:
    """What a kernel of ``dtype`` receives and returns: ``values`` rounded to it, as float64."""
    if values.dtype == kind or dtype == "float64":
        return np.asarray(values, dtype=np.float64)
    return as_dtype(np.asarray(values, dtype=np.float64), dtype)


MAX_BANDS = 12


@dataclass
class Report:
    dtype: str
    tolerance: float
    rows: int
    max_ulp: float
    median_ulp: float
    max_rel: float
    p99_ulp: float = 0.0
    max_abs: float = 0.0
    atol: float | None = None
    rtol: float | None = None
    failed: int = 0  # rows over the tolerance
    bands: list[dict[str, Any]] = field(default_factory=list)
    worst: list[dict[str, float]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    narrower_dtype: str | None = None  # a narrower type all values belong to, and pass in

    @property
    def passed(self) -> bool:
        return self.failed == 0


@dataclass
class Errors:
    """The errors of every row: in ULP, relative and absolute, and whether it passes."""

    ulp: np.ndarray
    rel: np.ndarray
    abs: np.ndarray
    passes: np.ndarray


def check(
    act: Activation,
    x: np.ndarray,
    y: np.ndarray,
    order: int,
    dtype: str,
    tolerance: float,
    *,
    atol: float | None = None,
    rtol: float | None = None,
    edges: list[float] | None = None,
) -> tuple[Report, np.ndarray, np.ndarray]:
    """The report, the reference values and the ULP error of every row, for arrays."""
    from actcli.reading import in_blocks

    if np.size(x) != np.size(y):
        raise ValueError(f"x and y differ in length: {np.size(x)} and {np.size(y)}")
    pairs = in_blocks(np.ravel(x), np.ravel(y))
    report = check_pairs(act, pairs, order, dtype, tolerance, atol=atol, rtol=rtol, edges=edges)
    _, _, reference, errors = (
        np.concatenate(c) for c in zip(*rows(act, pairs, order, dtype), strict=True)
    )
    return report, reference, errors


def check_pairs(
    act: Activation,
    pairs: PairBlocks,
    order: int,
    dtype: str,
    tolerance: float,
    *,
    atol: float | None = None,
    rtol: float | None = None,
    edges: list[float] | None = None,
) -> Report:
    """The report on the rows that ``pairs`` reads, block by block (see the module's doc)."""
    scan, sample = _scan(pairs, dtype, edges is None, lambda x: _reference(act, x, order))
    if not scan.rows:
        raise DataError("no rows to check")
    layout = _default_layout(scan) if edges is None else _edge_layout(scan, edges)
    tally = _Tally(scan, layout, dtype, tolerance, sample.guesses(layout))
    for start, x, y, ref in _values(act, pairs, order, dtype):
        errors = _deviations(y, ref, dtype)
        passes = _passes(errors, ref, tolerance, atol, rtol)
        tally.add(start, x, y, ref, errors, passes, layout.groups(x))

    def again() -> Iterator[tuple[np.ndarray, np.ndarray]]:  # each row's band and ULP error
        for _, x, y, ref in _values(act, pairs, order, dtype):
            yield layout.groups(x), _deviations(y, ref, dtype)[0]

    return tally.report(atol, rtol, again)


def rows(act: Activation, pairs: PairBlocks, order: int, dtype: str) -> Iterator[list[np.ndarray]]:
    """Blocks of the columns x, y (both as ``dtype`` numbers), reference and ULP error."""
    for _, x, y, ref in _values(act, pairs, order, dtype):
        yield [x, y, ref, _deviations(y, ref, dtype)[0]]


# Rows checked at a time: the reference is computed a whole block at a time (an activation
# call has a cost of its own), the rest in pieces whose temporaries stay small; 256 KB ones
# cost 4 to 8 times as much per row (the allocator hands them back to the system, and each
# new one is fresh pages).
PIECE = 1 << 14


def _values(
    act: Activation, pairs: PairBlocks, order: int, dtype: str
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Each piece's first row number, x and y rounded to ``dtype``, and the reference."""
    from actcli.evaluation import numpy_dtype

    kind, start = numpy_dtype(dtype), 0
    for xs, ys in pairs():
        x, y = _received(xs, kind, dtype), _received(ys, kind, dtype)
        ref = _reference(act, x, order)
        for at in range(0, x.size, PIECE):
            yield start + at, x[at : at + PIECE], y[at : at + PIECE], ref[at : at + PIECE]
        start += x.size


def _reference(act: Activation, x: np.ndarray, order: int) -> np.ndarray:
    return np.asarray(act(x) if order == 0 else act.derivative(x, order), dtype=np.float64)


def errors_of(
    y: np.ndarray,
    reference: np.ndarray,
    dtype: str,
    tolerance: float,
    atol: float | None,
    rtol: float | None,
) -> Errors:
    """Every row's errors; a row passes within ``tolerance`` ULP or allclose(atol, rtol)."""
    errors = _deviations(y, reference, dtype)
    ulps, diff, rel, _ = errors
    return Errors(ulps, rel, diff, _passes(errors, reference, tolerance, atol, rtol))


Deviations = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _deviations(
    y: np.ndarray, reference: np.ndarray, dtype: str, *, saturating: bool = True
) -> Deviations:
    """The errors in ULP, absolute and relative (0 where y is right), and the rows where y or
    the reference is not finite: 0 where both are the same value, else inf. ``saturating``:
    ±inf is right where the reference rounds to it in ``dtype`` (beyond the type's range)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(y - reference)
        errors = diff / ulp(reference, dtype)
        rel = np.divide(diff, np.abs(reference), out=np.zeros_like(diff), where=diff != 0)
    # where y and the reference are finite, their difference is too (or overflows to inf)
    odd = np.flatnonzero(~np.isfinite(diff))
    odd = odd[~(np.isfinite(y[odd]) & np.isfinite(reference[odd]))]
    if odd.size:
        ys, refs = y[odd], reference[odd]
        same = (ys == refs) | (np.isnan(ys) & np.isnan(refs))
        if saturating and dtype != "float64":
            same |= np.isinf(ys) & (as_dtype(refs, dtype) == ys)
        errors[odd] = diff[odd] = rel[odd] = np.where(same, 0.0, np.inf)
    return errors, diff, rel, odd


def _passes(
    errors: Deviations,
    reference: np.ndarray,
    tolerance: float,
    atol: float | None,
    rtol: float | None,
) -> np.ndarray:
    ulps, diff, _, _ = errors
    passes = ulps <= tolerance
    if atol is not None or rtol is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # 0 · inf: no bound, not a warning
            bound = (atol or 0.0) + (rtol or 0.0) * np.abs(reference)
        passes |= diff <= bound
    return passes


# ---------------------------------------------------------------------------------- bands

# A unit of x is an eighth of a binade on one side of 0, keyed by 8 × its binade (float64's
# exponent field + 64, subnormal x by their own binade below) + the eighth (the top 3 bits of
# the significand), + SIDE when x is negative. Keys 0 and SIDE are ±0; binade VIRTUAL − 1
# holds ±inf and nan.
VIRTUAL = 2048 + 64
SIDE = VIRTUAL * 8
FREXP = 64 + 1022  # a unit's binade less frexp's exponent of its x


def _unit_keys(x: np.ndarray) -> np.ndarray:
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
class _Scan:
    """What a first look at every x tells: the bands' layout and the order of x."""

    rows: int = 0
    lo: float = math.inf  # the extremes of the finite x
    hi: float = -math.inf
    ascending: bool = True  # the finite x, in order
    last: float = -math.inf  # the last finite x seen
    special: bool = False  # some x is ±0, ±inf or nan
    finite: bool = True  # every x is finite
    units: np.ndarray | None = None  # rows by unit (default bands)


def _scan(
    pairs: PairBlocks,
    dtype: str,
    by_units: bool,
    reference: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[_Scan, _Sample]:
    """The first pass: x, and with the ``reference`` a sample of the errors."""
    from actcli.evaluation import numpy_dtype

    kind = numpy_dtype(dtype)
    scan = _Scan(units=np.zeros(2 * SIDE, dtype=np.int64) if by_units else None)
    sample = _Sample()
    for xs, ys in pairs():
        x = _received(xs, kind, dtype)
        if reference is not None:
            rows = sample.rows(scan.rows, x.size)
            y = _received(ys[rows], kind, dtype)
            taken = x[rows].copy()  # (a view would hold on to the whole block)
            sample.add(taken, _deviations(y, reference(taken), dtype)[0])
        scan.rows += x.size
        finite = np.isfinite(x)
        if not finite.all():
            scan.special, scan.finite, x = True, False, x[finite]
        if not x.size:
            continue
        scan.special = scan.special or not np.all(x)
        scan.lo, scan.hi = min(scan.lo, float(x.min())), max(scan.hi, float(x.max()))
        if scan.ascending:
            scan.ascending = x[0] >= scan.last and bool(np.all(x[1:] >= x[:-1]))
            scan.last = float(x[-1])
        if scan.units is not None:
            scan.units += np.bincount(_unit_keys(x), minlength=2 * SIDE)
    return scan, sample


@dataclass
class _Layout:
    """The bands: each one's (lo, hi), and how a row's band is found (its group: band + 1,
    0 for non-finite x)."""

    spans: list[tuple[float, float]]
    table: np.ndarray | None = None  # default bands: the group of each unit key
    cuts: np.ndarray | None = None  # given edges

    def groups(self, x: np.ndarray) -> np.ndarray:
        if self.table is not None:
            found: np.ndarray = self.table[_unit_keys(x)]
            return found
        assert self.cuts is not None
        kind = np.int16 if self.cuts.size < 2**15 - 1 else np.int32
        inside = np.searchsorted(self.cuts, x, side="right").astype(kind) + 1
        return np.where(np.isfinite(x), inside, 0).astype(kind)


def band_ids(
    x: np.ndarray, edges: list[float] | None
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Each row's band (-1: none, x not finite) and each band's (lo, hi), in ascending x."""
    from actcli.reading import in_blocks

    x = np.ravel(np.asarray(x, dtype=np.float64))
    scan, _ = _scan(in_blocks(x, x), "float64", by_units=edges is None)
    layout = _default_layout(scan) if edges is None else _edge_layout(scan, edges)
    groups = layout.groups(x).astype(np.intp)
    count = np.bincount(groups, minlength=len(layout.spans) + 1)[1:]
    kept = np.flatnonzero(count)  # empty bands are left out
    renumber = np.full(len(layout.spans) + 1, -1)
    renumber[kept + 1] = np.arange(kept.size)
    return renumber[groups], [layout.spans[j] for j in kept]


def _edge_layout(scan: _Scan, edges: list[float]) -> _Layout:
    cuts = np.asarray(edges, dtype=np.float64)
    lo, hi = scan.lo, scan.hi
    bounds = [lo, *cuts.tolist(), hi]
    spans = [(max(bounds[j], lo), min(bounds[j + 1], hi)) for j in range(len(cuts) + 1)]
    return _Layout(spans, cuts=cuts)


def _default_layout(scan: _Scan) -> _Layout:
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
    return _Layout([(max(a, scan.lo), min(b, scan.hi)) for a, b in order], table=table)


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


# ---------------------------------------------------------------------------------- the tally


def _segments(
    groups: np.ndarray, *columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """The groups present, where each one's rows start, the groups and the columns in group
    order (as they come when x ascends: the bands follow x)."""
    step = np.diff(groups)
    if (step < 0).any():
        order = np.argsort(groups, kind="stable")
        groups, columns = groups[order], tuple(c[order] for c in columns)
        step = np.diff(groups)
    starts = np.concatenate(([0], np.flatnonzero(step) + 1))
    return groups[starts], starts, groups, list(columns)


def _largest(values: np.ndarray, k: int) -> list[int]:
    """The indices of the k largest values, largest first (the first of equal ones first)."""
    if values.size > k:
        top = np.argpartition(-values, k - 1)[:k]
        threshold = values[top].min()
        top = np.flatnonzero(values >= threshold)
    else:
        top = np.arange(values.size)
    order = np.argsort(-values[top], kind="stable")
    return [int(i) for i in top[order][:k]]


class _Tally:
    """Everything the report says, gathered block by block."""

    def __init__(
        self, scan: _Scan, layout: _Layout, dtype: str, tolerance: float, guesses: list[_Window]
    ) -> None:
        n = len(layout.spans) + 1
        self.scan, self.layout, self.dtype, self.tolerance = scan, layout, dtype, tolerance
        self.count = np.zeros(n, dtype=np.int64)
        self.failed = np.zeros(n, dtype=np.int64)
        self.largest = np.zeros((3, n))  # ULP, relative, absolute
        self.order = _Order(n, guesses)
        self.worst: list[tuple[float, int, dict[str, float]]] = []  # (ULP, row, the row)
        self.steps = _Steps(dtype)
        self.unordered: list[np.ndarray] = []  # x, y and reference of the finite rows ...
        self.filled = 0  # ... when x is out of order: the scan needs them sorted
        if not scan.ascending:  # (x and y of a narrow type are float32 numbers)
            kind = np.float64 if dtype == "float64" else np.float32
            self.unordered = [np.empty(scan.rows, kind), np.empty(scan.rows, kind)]
            self.unordered.append(np.empty(scan.rows))
        self.signs = _Rows("sign_error", "outputs of the wrong sign")
        self.broken = _Rows("non_finite", "inf or nan where the reference is finite")
        self.flushes = _Flushes(dtype)
        self.specials = _Specials()
        self.narrower = _Narrower(dtype)

    def add(
        self,
        start: int,
        x: np.ndarray,
        y: np.ndarray,
        ref: np.ndarray,
        errors: Deviations,
        passes: np.ndarray,
        groups: np.ndarray,
    ) -> None:
        ulps, diff, rel, odd = errors
        present, starts, in_order, columns = _segments(groups, ulps, rel, diff)
        self.count[present] += np.diff(np.append(starts, ulps.size))
        for j, column in enumerate(columns):
            reduced = np.maximum.reduceat(column, starts)
            self.largest[j, present] = np.maximum(self.largest[j, present], reduced)
        self.failed += np.bincount(groups[~passes], minlength=self.count.size)
        self.order.add(present, starts, in_order, columns[0])
        self._add_worst(start, x, y, ref, ulps)
        data = (x, y, ref)
        if odd.size or not self.scan.finite:  # the monotonicity scan takes finite rows only
            ok = np.isfinite(x)
            ok[odd] = False
            data = (x[ok], y[ok], ref[ok])
        if self.scan.ascending:
            self.steps.add(*data)
        else:
            for store, column in zip(self.unordered, data, strict=True):
                store[self.filled : self.filled + column.size] = column
            self.filled += data[0].size
        with np.errstate(invalid="ignore"):
            self.signs.add(np.flatnonzero(np.sign(y) * np.sign(ref) < 0), x, y, ref)
        broken = odd[~np.isfinite(y[odd]) & np.isfinite(ref[odd]) & (ulps[odd] > 0)]
        self.broken.add(broken, x, y, ref)
        self.flushes.add(x, y, ref, not self.scan.finite)
        if self.scan.special:
            self.specials.add(x, y, ref, passes)
        self.narrower.add(y, ref)

    def _add_worst(
        self, start: int, x: np.ndarray, y: np.ndarray, ref: np.ndarray, ulps: np.ndarray
    ) -> None:
        """The 5 largest errors so far (the first of equal ones first); rows under the 5th
        largest so far cannot be among them."""
        floor = self.worst[-1][0] if len(self.worst) == 5 else 0.0
        rows = np.flatnonzero(ulps > floor)  # only errors > 0 are reported
        candidates = [
            (float(ulps[i]), start + int(i), _example(x, y, ref, int(i)) | {"ulp": float(ulps[i])})
            for i in rows[_largest(ulps[rows], 5)]
        ]
        self.worst = sorted(self.worst + candidates, key=lambda w: (-w[0], w[1]))[:5]

    def report(self, atol: float | None, rtol: float | None, again: Again) -> Report:
        scan = self.scan
        if self.unordered:
            xs, ys, rs = (column[: self.filled] for column in self.unordered)
            order = np.argsort(xs, kind="stable")
            for at in range(0, order.size, PIECE):  # in x order, a piece at a time
                rows = order[at : at + PIECE]
                self.steps.add(xs[rows].astype(np.float64), ys[rows].astype(np.float64), rs[rows])
            self.unordered = []
        kept = [g for g in range(1, self.count.size) if self.count[g]]
        medians, p99s = self.order.quantiles(self.count, kept, again)
        largest = self.largest.max(axis=1)

        def summary(g: int | None) -> dict[str, float]:
            top = largest if g is None else self.largest[:, g]
            return {
                "max_ulp": float(top[0]),
                "median_ulp": medians[g],
                "p99_ulp": p99s[g],
                "max_rel": float(top[1]),
                "max_abs": float(top[2]),
            }

        whole = summary(None)
        report = Report(
            dtype=self.dtype,
            tolerance=self.tolerance,
            rows=scan.rows,
            atol=atol,
            rtol=rtol,
            failed=int(self.failed.sum()),
            max_ulp=whole["max_ulp"],
            median_ulp=whole["median_ulp"],
            max_rel=whole["max_rel"],
            p99_ulp=whole["p99_ulp"],
            max_abs=whole["max_abs"],
        )
        if not report.passed:
            report.narrower_dtype = self.narrower.passing(self.tolerance)
        for g in kept:
            lo, hi = self.layout.spans[g - 1]
            count = int(self.count[g])
            report.bands.append(
                {"lo": lo, "hi": hi, "count": count, **summary(g), "failed": int(self.failed[g])}
            )
        report.worst = [row for ulps, _, row in self.worst if ulps > 0]
        found = [self.steps.finding(), self.signs.finding(self.dtype)]
        found += self.flushes.findings()
        found += [self.broken.finding(self.dtype), *self.specials.findings()]
        report.findings = [f for f in found if f is not None]
        return report


# ---------------------------------------------------------------------------------- quantiles

# A histogram key: the bits of a ULP error (≥ 0: the same order) >> SHIFT, buckets 2^-5 wide
# (relative) from 2^-40 to 2^40 ULP; the errors below and above are counted in one key each.
# Keys run 0 to SPAN − 1, so that a band's counts are 20 KB, even with thousands of bands.
SHIFT = 47
_LOW, _HIGH = (1023 - 40) << 5, (1023 + 40) << 5  # the bits of 2^-40 and 2^40, >> SHIFT
SPAN = _HIGH - _LOW + 1
NARROW = 16  # bits of a window resolved by each further pass
BUDGET = 1 << 21  # errors held at once, at most (16 MB)
SAMPLE = 1 << 18  # rows the first pass keeps for a first guess at the quantiles, at most

Again = Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]  # each row's group and error


def _keys(bits: np.ndarray) -> np.ndarray:
    keys: np.ndarray = np.clip(bits >> SHIFT, _LOW, _HIGH) - _LOW
    return keys


def _key(bits: int) -> int:
    return min(max(bits >> SHIFT, _LOW), _HIGH) - _LOW


def _bucket(key: int) -> tuple[int, int]:
    """The bits of a key's errors, lowest and highest."""
    lo = 0 if key == 0 else (key + _LOW) << SHIFT
    return lo, _EXPONENT if key == SPAN - 1 else ((key + _LOW + 1) << SHIFT) - 1


def _p99_rank(n: int) -> int:
    """The rank of numpy's ``percentile(..., 99, method="inverted_cdf")`` among n values."""
    return max(0, math.ceil(n * 0.99 - 1))


def _ranks(n: int) -> tuple[list[int], int]:
    """The ranks of n values' median (numpy's: the mean of the middle two) and 99th
    percentile."""
    return sorted({(n - 1) // 2, n // 2}), _p99_rank(n)


class _Sample:
    """Rows 0, s, 2s, ... (x and ULP error): every row at first, then every 61st, 183rd, ...
    as rows come, to hold at most SAMPLE (odd strides: no power-of-two period in the rows,
    such as a kernel's vector lanes, lines up with them)."""

    def __init__(self) -> None:
        self.stride, self.size = 1, 0
        self.x: list[np.ndarray] = []
        self.errors: list[np.ndarray] = []

    def rows(self, start: int, count: int) -> slice:
        """The sampled rows of a block of ``count`` rows from row ``start``."""
        return slice(-start % self.stride, count, self.stride)

    def add(self, x: np.ndarray, errors: np.ndarray) -> None:
        self.x.append(x)
        self.errors.append(errors)
        self.size += x.size
        if self.size > SAMPLE:
            thin = 61 if self.stride == 1 else 3
            self.x = [np.concatenate(self.x)[::thin].copy()]  # (not a view of all of it)
            self.errors = [np.concatenate(self.errors)[::thin].copy()]
            self.size, self.stride = self.x[0].size, self.stride * thin

    def guesses(self, layout: _Layout) -> list[_Window]:
        """For each band and for all rows, the errors around the sample's median and 99th
        percentile (4 standard deviations of a sample quantile's rank either side, 2 more
        rows), as many as BUDGET holds, the narrowest first."""
        if not self.size:
            return []
        bits = np.concatenate(self.errors).view(np.int64)
        present, starts, _, (in_order,) = _segments(layout.groups(np.concatenate(self.x)), bits)
        ends = [*starts[1:].tolist(), bits.size]
        parts = [(g, in_order[a:b]) for g, a, b in zip(present.tolist(), starts, ends, strict=True)]
        found = []
        for g, part in [*((g, part) for g, part in parts if g > 0), (None, bits)]:
            e = np.sort(part)
            n = e.size
            for q in (0.5, 0.99):
                middle, wide = q * (n - 1), 4 * math.sqrt(n * q * (1 - q)) + 2
                a, b = max(0, math.floor(middle - wide)), min(n - 1, math.ceil(middle + wide))
                found.append(_Window(g, int(e[a]), int(e[b]), size=(b - a + 1) * self.stride))
        kept, room = [], BUDGET
        for w in sorted(found, key=lambda w: w.size):
            if w.size <= room:
                kept.append(w)
                room -= w.size
        return kept


@dataclass
class _Window:
    """The errors of ``group`` (None: of every row) whose bits are ``lo`` to ``hi``: held,
    or, with ``step``, counted by ``step`` bits of their offset from ``lo`` (the top ones).
    ``below``: how many of the group's errors are under ``lo``; ``under`` counts those in
    ``lo``'s histogram key, in passing."""

    group: int | None
    lo: int
    hi: int
    size: int = 0  # errors expected in it
    below: int = 0
    step: int = 0
    under: int = 0
    held: list[np.ndarray] = field(default_factory=list)
    counts: np.ndarray | None = None

    @property
    def fine(self) -> int:
        """How far the offsets from ``lo`` are shifted to count them by ``step`` bits."""
        return max(0, (self.hi - self.lo).bit_length() - self.step)

    def select(self, rank: int) -> float | None:
        """The error of that rank in the group, when this window holds it."""
        inside = np.concatenate([np.empty(0), *self.held])
        if not self.below <= rank < self.below + inside.size:
            return None
        return float(np.partition(inside, rank - self.below)[rank - self.below])

    def narrowed(self, rank: int) -> _Window:
        """The part of a counted window that holds the error of that rank."""
        assert self.counts is not None
        sums = np.cumsum(self.counts)
        part = int(np.searchsorted(sums, rank - self.below, side="right"))
        lo = self.lo + (part << self.fine)
        hi = min(self.hi, lo + (1 << self.fine) - 1)
        below = self.below + (int(sums[part - 1]) if part else 0)
        return _Window(self.group, lo, hi, int(self.counts[part]), below)


class _Windows:
    """Windows filled block by block; whether a row may be in one is one look-up of its
    group and histogram key. Held errors beyond ``limit`` drop the fullest window."""

    def __init__(self, groups: int, windows: list[_Window], limit: float = math.inf) -> None:
        self.limit, self.held = limit, 0
        self.of: dict[int | None, list[_Window]] = {}  # the windows of each group
        self.near = np.zeros((groups, SPAN), dtype=bool)  # [group, key]: a window's key
        for w in windows:
            self.of.setdefault(w.group, []).append(w)
            rows = slice(None) if w.group is None else w.group
            self.near[rows, _key(w.lo) : _key(w.hi) + 1] = True
            if w.step:
                w.counts = np.zeros(((w.hi - w.lo) >> w.fine) + 1, dtype=np.int64)

    @property
    def windows(self) -> list[_Window]:
        return [w for ws in self.of.values() for w in ws]

    def feed(
        self,
        groups: np.ndarray,
        errors: np.ndarray,
        segments: Iterable[tuple[int, int, int]] | None = None,
        keys: np.ndarray | None = None,
    ) -> None:
        """Take the windows' errors among these rows, given in ``segments`` of one group
        each, (group, first row, end), or in any order with their ``groups``."""
        if not self.of:
            return
        if segments is None:
            present, starts, groups, (errors,) = _segments(groups, errors)
            ends = [*starts[1:].tolist(), errors.size]
            segments = zip(present.tolist(), starts.tolist(), ends, strict=True)
            keys = None
        bits = errors.view(np.int64)
        keys = _keys(bits) if keys is None else keys
        for g, a, b in segments:
            mine = self.of.get(g, []) + self.of.get(None, [])
            rows = np.flatnonzero(self.near[g, keys[a:b]]) + a
            if mine and rows.size:
                self._take(mine, bits[rows], errors[rows])
        while self.held > self.limit:
            fullest = max(self.windows, key=lambda w: sum(h.size for h in w.held))
            self.held -= sum(h.size for h in fullest.held)
            self.of[fullest.group].remove(fullest)

    def _take(self, windows: list[_Window], bits: np.ndarray, errors: np.ndarray) -> None:
        for w in windows:
            on = (bits >= _bucket(_key(w.lo))[0]) & (bits <= w.hi)
            inside = bits[on] >= w.lo
            w.under += int(inside.size - np.count_nonzero(inside))
            if w.counts is not None:
                w.counts += np.bincount(
                    (bits[on][inside] - w.lo) >> w.fine, minlength=w.counts.size
                )
            else:
                w.held.append(errors[on][inside])
                self.held += w.held[-1].size
                if len(w.held) > 64:  # not thousands of small arrays
                    w.held = [np.concatenate(w.held)]


class _Order:
    """Exact medians and 99th percentiles of each band's and of all the errors, without
    holding them all.

    The first pass keeps a sample of the errors; from it, the second holds the errors
    around each wanted quantile (:meth:`_Sample.guesses`) while it counts every group's
    errors by histogram key (see SHIFT). The counts tell how many errors are below each
    guess: where the wanted rank is among the errors held, that is the value. Else (a sample
    unlike the rows, or too many rows to hold around a guess) the counts tell the key that
    holds that rank, and a further pass holds its errors, or, when they are more than BUDGET,
    counts them by the top 16 bits of their offset in it, and so on: it ends at one bit
    pattern.
    """

    def __init__(self, groups: int, guesses: list[_Window]) -> None:
        self.counts = np.zeros((groups, SPAN), dtype=np.int64)
        self.whole = np.zeros(SPAN, dtype=np.int64)
        self.guesses = _Windows(groups, guesses, limit=BUDGET)

    def add(
        self, present: np.ndarray, starts: np.ndarray, groups: np.ndarray, errors: np.ndarray
    ) -> None:
        """Count a block's errors, in group order (``present`` from ``starts``), and hold
        those of the guesses."""
        keys = _keys(errors.view(np.int64))
        ends = [*starts[1:].tolist(), errors.size]
        segments = list(zip(present.tolist(), starts.tolist(), ends, strict=True))
        for g, a, b in segments:
            low = int(keys[a:b].min())
            found = np.bincount(keys[a:b] - low)
            self.counts[g, low : low + found.size] += found
            self.whole[low : low + found.size] += found
        self.guesses.feed(groups, errors, segments, keys)

    def quantiles(
        self, count: np.ndarray, kept: list[int], again: Again
    ) -> tuple[dict[int | None, float], dict[int | None, float]]:
        """Each kept group's and the whole's median and 99th percentile (numpy's median and
        ``percentile(..., 99, method="inverted_cdf")``)."""
        members: list[int | None] = [*kept, None]
        ranks = {g: _ranks(int(count.sum() if g is None else count[g])) for g in members}
        value: dict[tuple[int | None, int], float] = {}
        open_ = {}
        for g in members:
            counts = self.whole if g is None else self.counts[g]
            below = np.cumsum(counts)
            wanted = [*ranks[g][0], ranks[g][1]]
            for w in self.guesses.of.get(g, []):
                key = _key(w.lo)
                w.below = (int(below[key - 1]) if key else 0) + w.under
                for r in wanted:
                    if (g, r) not in value and (v := w.select(r)) is not None:
                        value[(g, r)] = v
            for r in wanted:  # the others: the window of the histogram key that holds it
                if (g, r) not in value:
                    key = int(np.searchsorted(below, r, side="right"))
                    under = int(below[key - 1]) if key else 0
                    open_[(g, r)] = _Window(g, *_bucket(key), int(counts[key]), under)
        self._narrow(open_, value, again)
        medians, p99s = {}, {}
        for g in members:
            middle, p99 = ranks[g]
            with np.errstate(over="ignore"):  # numpy's median: the mean of the middle two
                medians[g] = float(np.mean([value[(g, r)] for r in middle]))
            p99s[g] = value[(g, p99)]
        return medians, p99s

    def _narrow(
        self, open_: dict[tuple[int | None, int], _Window], value: dict[Any, float], again: Again
    ) -> None:
        """Pass after pass, hold the windows' errors or narrow the windows down."""
        while open_:
            for (g, r), w in list(open_.items()):
                if w.lo == w.hi:  # one bit pattern: the value itself
                    value[(g, r)] = float(np.array(w.lo, dtype=np.int64).view(np.float64))
                    del open_[(g, r)]
            distinct = {(w.group, w.lo): w for w in open_.values()}
            room = BUDGET
            for w in sorted(distinct.values(), key=lambda w: w.size):  # the smallest held
                if w.size <= room:
                    room -= w.size
                else:
                    w.step = min(NARROW, (w.hi - w.lo).bit_length())
            windows = _Windows(self.counts.shape[0], list(distinct.values()))
            for groups, errors in again() if distinct else ():
                windows.feed(groups, errors)
            for (g, r), old in list(open_.items()):
                w = distinct[(old.group, old.lo)]
                if w.counts is not None:
                    open_[(g, r)] = w.narrowed(r)
                else:
                    v = w.select(r)
                    assert v is not None
                    value[(g, r)] = v
                    del open_[(g, r)]


# ---------------------------------------------------------------------------------- findings


def _num(value: float, digits: int = 5) -> str:
    from actcli.formats import format_number

    return format_number(float(value), digits)


def spell(value: float, dtype: str) -> str:
    """The shortest spelling of a number of ``dtype`` (a value given or an input x)."""
    from actcli.evaluation import numpy_dtype
    from actcli.formats import format_number

    if dtype == "float64" or not math.isfinite(value):
        return format_number(float(value))
    return str(numpy_dtype(dtype).type(value))


def _example(x: np.ndarray, y: np.ndarray, ref: np.ndarray, i: int) -> dict[str, float]:
    return {"x": float(x[i]), "given": float(y[i]), "reference": float(ref[i])}


class _Steps:
    """Steps between neighbouring x where the output goes against the reference's direction,
    in ascending x, block after block (the last row of one and the first of the next too)."""

    def __init__(self, dtype: str) -> None:
        self.dtype, self.count, self.lo, self.hi = dtype, 0, math.inf, -math.inf
        self.worst, self.up = -math.inf, True
        self.pair: list[dict[str, float]] = []
        self.last: tuple[np.ndarray, ...] | None = None

    def add(self, xs: np.ndarray, ys: np.ndarray, rs: np.ndarray) -> None:
        if not xs.size:
            return
        if self.last is not None:
            self._scan(
                *(np.concatenate((a, b[:1])) for a, b in zip(self.last, (xs, ys, rs), strict=True))
            )
        self._scan(xs, ys, rs)
        self.last = (xs[-1:].copy(), ys[-1:].copy(), rs[-1:].copy())

    def _scan(self, xs: np.ndarray, ys: np.ndarray, rs: np.ndarray) -> None:
        if xs.size < 2:
            return
        way = np.sign(np.diff(rs))
        step = np.diff(ys)
        at = np.flatnonzero((np.diff(xs) > 0) & (way != 0) & (np.sign(step) == -way))
        if not at.size:
            return
        with np.errstate(over="ignore"):  # a step of 1e300 is inf ULP
            size = np.abs(step[at]) / ulp(rs[at + 1], self.dtype)
        self.count += at.size
        self.lo, self.hi = min(self.lo, float(xs[at].min())), max(self.hi, float(xs[at + 1].max()))
        k = int(np.argmax(size))
        if size[k] > self.worst:  # the first of equal ones
            i = int(at[k])
            self.worst, self.up = float(size[k]), bool(way[i] > 0)
            self.pair = [_example(xs, ys, rs, j) for j in (i, i + 1)]

    def finding(self) -> dict[str, Any] | None:
        if not self.count:
            return None
        first, second = self.pair
        d = self.dtype
        return {
            "kind": "non_monotonic",
            "count": self.count,
            "x_min": self.lo,
            "x_max": self.hi,
            "worst_pair": self.pair,
            "worst_ulp": self.worst,
            "message": f"{self.count:,} non-monotonic steps for x in [{_num(self.lo)}, "
            f"{_num(self.hi)}] where the reference is monotone; worst ({self.worst:.3g} ULP): "
            f"f({spell(first['x'], d)}) = {spell(first['given'], d)} {'>' if self.up else '<'} "
            f"f({spell(second['x'], d)}) = {spell(second['given'], d)}",
        }


class _Rows:
    """Rows of one kind: how many, their x range and the first of them."""

    def __init__(self, kind: str, what: str) -> None:
        self.kind, self.what, self.count, self.lo, self.hi = kind, what, 0, math.inf, -math.inf
        self.first: dict[str, float] = {}

    def add(self, at: np.ndarray, x: np.ndarray, y: np.ndarray, ref: np.ndarray) -> None:
        if not at.size:
            return
        self.count += at.size
        self.lo = float(np.minimum(self.lo, x[at].min()))  # (nan stays nan, as in numpy)
        self.hi = float(np.maximum(self.hi, x[at].max()))
        self.first = self.first or _example(x, y, ref, int(at[0]))

    def finding(self, dtype: str) -> dict[str, Any] | None:
        if not self.count:
            return None
        e = self.first
        return {
            "kind": self.kind,
            "count": self.count,
            "x_min": self.lo,
            "x_max": self.hi,
            "example": e,
            "message": f"{self.count:,} {self.what}, for x in [{_num(self.lo)}, {_num(self.hi)}]; "
            f"e.g. f({spell(e['x'], dtype)}) = {spell(e['given'], dtype)}, reference "
            f"{_num(e['reference'], 3)}",
        }


class _Flushes:
    """Zero where the reference is a normal number of the type, on each side of 0: a
    threshold when every x beyond it gives 0."""

    def __init__(self, dtype: str) -> None:
        from actcli.evaluation import numpy_dtype

        self.tiny = float(np.finfo(numpy_dtype(dtype)).tiny)
        self.sides = {side: _Rows("flush_to_zero", "") for side in (-1, 1)}
        self.edge: dict[int, float] = {}  # the zero nearest 0 on each side
        # the extremes of the finite x where y is not 0: x beyond a threshold all give 0
        # when none of them is beyond it
        self.lo, self.hi = math.inf, -math.inf

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, nonfinite_x: bool) -> None:
        zero = y == 0
        nonzero = ~zero & np.isfinite(x) if nonfinite_x else ~zero
        self.lo = min(self.lo, float(np.min(x, where=nonzero, initial=math.inf)))
        self.hi = max(self.hi, float(np.max(x, where=nonzero, initial=-math.inf)))
        at = np.flatnonzero(zero)
        with np.errstate(invalid="ignore"):
            at = at[np.isfinite(ref[at]) & (np.abs(ref[at]) >= self.tiny)]
        for side, rows in ((-1, at[x[at] < 0]), (1, at[x[at] > 0])):
            if not rows.size:
                continue
            edge = rows[np.argmax(x[rows])] if side < 0 else rows[np.argmin(x[rows])]
            t = float(x[edge])
            if side not in self.edge or (t > self.edge[side] if side < 0 else t < self.edge[side]):
                self.edge[side] = t
                self.sides[side].first = _example(x, y, ref, int(edge))
            self.sides[side].add(rows, x, y, ref)

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for side, rows in self.sides.items():
            if not rows.count:
                continue
            t, e = self.edge[side], rows.first
            cut = self.lo > t if side < 0 else self.hi < t
            found: dict[str, Any] = {
                "kind": "flush_to_zero",
                "count": rows.count,
                "x_min": rows.lo,
                "x_max": rows.hi,
                "threshold": t if cut else None,
                "example": e,
            }
            if cut:
                sign = "≤" if side < 0 else "≥"
                found["message"] = (
                    f"returns 0 for x {sign} {_num(t)} ({rows.count:,} inputs); reference "
                    f"{_num(e['reference'], 2)} there"
                )
            else:
                found["message"] = (
                    f"returns 0 at {rows.count:,} inputs in [{_num(rows.lo)}, "
                    f"{_num(rows.hi)}] where the reference is a normal number; e.g. "
                    f"f({_num(t)}) = 0, reference {_num(e['reference'], 2)}"
                )
            out.append(found)
        return out


SPECIALS = (("-0", -0.0), ("+0", 0.0), ("-inf", -math.inf), ("+inf", math.inf), ("nan", math.nan))


class _Specials:
    """What the values are at ±0, ±inf and nan, where those are among the inputs."""

    def __init__(self) -> None:
        self.count = dict.fromkeys((label for label, _ in SPECIALS), 0)
        self.first: dict[str, tuple[float, float, bool]] = {}  # given, reference, passed

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, passes: np.ndarray) -> None:
        at = np.flatnonzero(~np.isfinite(x) | (x == 0))
        xs = x[at]
        for label, value in SPECIALS:
            if math.isnan(value):
                rows = at[np.isnan(xs)]
            else:
                rows = at[(xs == value) & (np.signbit(xs) == (math.copysign(1.0, value) < 0))]
            if rows.size:
                self.count[label] += rows.size
                i = int(rows[0])
                self.first.setdefault(label, (float(y[i]), float(ref[i]), bool(passes[i])))

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for label, value in SPECIALS:
            if label not in self.first:
                continue
            given, reference, right = self.first[label]
            zero_sign = given == 0 and reference == 0 and np.signbit(given) != np.signbit(reference)
            verdict = "right" if right else "WRONG"
            if zero_sign:
                verdict += ", but the sign of zero differs"
            out.append(
                {
                    "kind": "special",
                    "x": value,
                    "given": given,
                    "reference": reference,
                    "passed": right,
                    "count": self.count[label],
                    "message": f"at x = {label}: {_num(given, 3)} (reference {_num(reference, 3)}): "
                    f"{verdict}",
                }
            )
        return out


def _numbers_of(values: np.ndarray, dtype: str) -> bool:
    """Whether every value is a number of ``dtype`` (too large: not one of its numbers).
    bfloat16's are the float32 numbers whose last 16 bits are 0: asked of every check, this
    does not import ml_dtypes (a second or two)."""
    if dtype != "bfloat16":
        return bool(np.array_equal(as_dtype(values, dtype), values))
    with np.errstate(over="ignore"):
        narrow = values.astype(np.float32)
    return bool(np.array_equal(narrow, values) and not (narrow.view(np.uint32) & 0xFFFF).any())


class _Narrower:
    """The narrowest dtype, narrower than the one checked, that holds every given value
    exactly, and whether they pass in it: float64 values that all are float32 numbers were
    very likely computed in float32, and their errors belong in float32 ULP."""

    def __init__(self, dtype: str) -> None:
        narrower = ("float16", "bfloat16", "float32")
        self.held = [d for d in narrower if FORMATS[d][0] < FORMATS[dtype][0]]
        self.worst = dict.fromkeys(self.held, 0.0)
        self.seen = False  # a finite value

    def add(self, y: np.ndarray, ref: np.ndarray) -> None:
        if not self.held:
            return
        finite = y[np.isfinite(y)]
        self.seen = self.seen or bool(finite.size)
        for name in list(self.held):
            if _numbers_of(finite, name):
                self.worst[name] = max(self.worst[name], float(ulp_errors(y, ref, name).max()))
            else:
                self.held.remove(name)

    def passing(self, tolerance: float) -> str | None:
        if not (self.seen and self.held):
            return None
        return self.held[0] if self.worst[self.held[0]] <= tolerance else None
