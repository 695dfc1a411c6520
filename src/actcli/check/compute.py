"""What check computes: the passes over the x, y pairs and the tally they fill.

The reference is actcli's float64 value (or derivative), itself within a few float64 ULP of
the exact one; errors are counted in ULP of the dtype being checked (the spacing of that
type's numbers at the reference value). A row passes when its error is at most ``tolerance``
ULP, or, when ``atol`` or ``rtol`` is given, when it meets numpy's ``allclose`` test
``|y - ref| <= atol + rtol * |ref|`` (either suffices: ULP alone is harsh where the reference
is near 0). The check passes when every row does; the findings describe the values, they do
not decide the verdict.

Memory stays flat in the number of rows: the rows come in blocks (:data:`inputs.PairBlocks`)
and are read more than once. A first pass looks at x (the bands, whether x ascends) and takes
a sample of the errors; a second computes the reference and everything else, and holds the
errors around the sample's medians and 99th percentiles, which are exact order statistics: a
further pass is needed only when that guess misses (:mod:`actcli.check.quantiles`). The
exception is x out of order: the monotonicity scan needs the rows in x order, and holds the
finite ones (16 or 24 bytes a row) to sort them. Rows that can be read once (standard input,
text) are kept on disk by the first pass, in the dtype checked (:mod:`actcli.inputs.spool`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from actcli import dtypes, parallel
from actcli.check import bands as banding
from actcli.check.deviations import Deviations, deviations, passes, received
from actcli.check.findings import Flushes, Narrower, Rows, Specials, Steps, example
from actcli.check.flush import Causes, Flush
from actcli.check.quantiles import Again, Quantiles, Sample, Window, group_order
from actcli.check.report import Report
from actcli.check.specials import SpecialValues
from actcli.errors import DataError
from actcli.inputs.spool import Spool
from actcli.inputs.xy import in_blocks
from actcli.parallel import Recipe, Workers

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.inputs import PairBlocks

# Rows checked at a time: the reference is computed a whole block at a time (an activation
# call has a cost of its own), the rest in pieces whose temporaries stay small; 256 KB ones
# cost 4 to 8 times as much per row (the allocator hands them back to the system, and each
# new one is fresh pages).
PIECE = 1 << 14
# Batches whose reference this process computes before it starts --jobs processes (a
# million rows, a second's work): a short check pays no start-up of processes.
INLINE = 1
BATCH = 1 << 20  # rows a process is given at a time


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
    flush: Flush | None = None,
    jobs: Workers | int = 1,
) -> Report:
    """The report on the rows that ``pairs`` reads, block by block (see the module's doc);
    ``flush``: the hardware's flush modes, modelled in the reference; ``jobs``: processes
    (or a Dask cluster's workers) tallying runs of rows, merged in row order: the report is
    the same for any number."""
    model = flush or Flush(dtype)
    jobs = Workers(jobs) if isinstance(jobs, int) else jobs
    scan, sample, pairs = _scan(pairs, dtype, edges is None, act, order, model)
    if not scan.rows:
        raise DataError("no rows to check")
    layout = banding.layout(scan, edges)
    rules = _Rules(order, dtype, tolerance, atol, rtol, model)
    guesses = sample.guesses(layout.groups)
    if jobs.many and scan.ascending:  # runs of rows tallied apart, merged in row order
        recipe = Recipe.of(act)
        runs = (
            (recipe, rules, scan, layout, guesses, start, xs, ys)
            for start, xs, ys in _numbered(_batched(pairs()))
        )
        tally: _Tally | None = None
        for part in parallel.ordered(_tally_run, runs, jobs, INLINE):
            if tally is None:
                tally = part
            else:
                tally.merge(part)
        assert tally is not None
    else:  # (x out of order: the monotonicity scan sorts the rows, here)
        tally = _tally(act, rules, scan, layout, guesses, pairs, 0, jobs)

    def again() -> Iterator[tuple[np.ndarray, np.ndarray]]:  # each row's band and ULP error
        for _, x, y, ref in _values_by(jobs, act, pairs, order, dtype, model):
            errors = _deviations(act, order, x, y, ref, dtype, model)
            keep = _finite(errors)
            groups = layout.groups(x)
            yield (groups, errors[0]) if keep is None else (groups[keep], errors[0][keep])

    report = tally.report(atol, rtol, again)
    report.activation, report.spec, report.dialect = act.name, act.spec, act.dialect
    report.daz, report.ftz = model.daz, model.ftz
    report.order, report.reread = order, functools.partial(rows, act, pairs, order, dtype, model)
    return report


@dataclass(frozen=True)
class _Rules:
    """What a row is checked by: the quantity, the dtype, the tolerances and the model of
    the hardware's flushes."""

    order: int
    dtype: str
    tolerance: float
    atol: float | None
    rtol: float | None
    model: Flush

    def judge(self, act: Activation, model: Flush, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether each row passes under ``model`` (see :class:`Causes`)."""
        ref = _reference(act, x, self.order, model)
        errors = _deviations(act, self.order, x, y, ref, self.dtype, model)
        return passes(errors, ref, self.tolerance, self.atol, self.rtol)


def _tally(
    act: Activation,
    rules: _Rules,
    scan: banding.Scan,
    layout: banding.Layout,
    guesses: list[Window],
    pairs: PairBlocks,
    first_row: int,
    jobs: Workers,
) -> _Tally:
    """The tally of the rows ``pairs`` reads, the first of them row ``first_row``."""
    d = rules
    tally = _Tally(scan, layout, d.dtype, d.tolerance, guesses)
    tally.causes = Causes(d.model, functools.partial(d.judge, act))
    for start, x, y, ref in _values_by(jobs, act, pairs, d.order, d.dtype, d.model, first_row):
        errors = _deviations(act, d.order, x, y, ref, d.dtype, d.model)
        ok = passes(errors, ref, d.tolerance, d.atol, d.rtol)
        tally.add(start, x, y, ref, errors, ok, layout.groups(x))
    tally.causes.judge = _unjudged  # (a worker's tally goes back without its activation)
    return tally


def _tally_run(
    run: tuple[
        Recipe, _Rules, banding.Scan, banding.Layout, list[Window], int, np.ndarray, np.ndarray
    ],
) -> _Tally:
    """The tally of one run of rows (in a worker): merged in row order, the runs' tallies
    are the tally of all the rows (the ``merge`` of each of its parts)."""
    recipe, rules, scan, layout, guesses, start, xs, ys = run
    fresh = [replace(w, held=[], counts=None) for w in guesses]  # (not the caller's: they fill)
    return _tally(recipe.build(), rules, scan, layout, fresh, in_blocks(xs, ys), start, Workers())


def _unjudged(model: Flush, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    raise AssertionError("a merged tally judges no more rows")


def _numbered(
    blocks: Iterator[tuple[np.ndarray, np.ndarray]],
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each block with the number of its first row."""
    start = 0
    for xs, ys in blocks:
        yield start, xs, ys
        start += xs.size


def rows(
    act: Activation, pairs: PairBlocks, order: int, dtype: str, model: Flush
) -> Iterator[list[np.ndarray]]:
    """Blocks of the columns x, y (both as ``dtype`` numbers), reference and ULP error."""
    for _, x, y, ref in _values(act, pairs, order, dtype, model):
        yield [x, y, ref, _deviations(act, order, x, y, ref, dtype, model)[0]]


def _values(
    act: Activation, pairs: PairBlocks, order: int, dtype: str, model: Flush
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Each piece's first row number, x and y rounded to ``dtype``, and the reference."""
    return _values_by(Workers(), act, pairs, order, dtype, model)


def _values_by(
    jobs: Workers,
    act: Activation,
    pairs: PairBlocks,
    order: int,
    dtype: str,
    model: Flush,
    first_row: int = 0,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`_values`, the reference computed by ``jobs`` processes, block after block in
    order (:func:`actcli.parallel.alongside`): every number is the one a single process
    computes. ``first_row``: the number of the first row."""
    kind, start = dtypes.numpy_dtype(dtype), first_row
    recipe = Recipe.of(act) if jobs.many else _Here(act)
    batches = _batched(pairs()) if jobs.many else pairs()
    received_pairs = (
        (recipe, order, model, received(xs, kind, dtype), received(ys, kind, dtype))
        for xs, ys in batches
    )
    for (_, _, _, x, y), ref in parallel.alongside(_piece_reference, received_pairs, jobs, INLINE):
        for at in range(0, x.size, PIECE):
            yield start + at, x[at : at + PIECE], y[at : at + PIECE], ref[at : at + PIECE]
        start += x.size


def _batched(
    blocks: Iterator[tuple[np.ndarray, np.ndarray]],
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The blocks joined into batches of at least BATCH rows: a process's task costs
    about a millisecond to hand over, a block of 65,536 rows only a few to compute."""
    held: list[tuple[np.ndarray, np.ndarray]] = []
    rows = 0
    for x, y in blocks:
        held.append((x, y))
        rows += x.size
        if rows >= BATCH:
            yield np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held])
            held, rows = [], 0
    if held:
        yield np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held])


class _Here:
    """The activation itself, for one job: nothing to rebuild (and an activation made in
    Python, not from a spec, need not be one that a spec rebuilds)."""

    def __init__(self, act: Activation) -> None:
        self.act = act

    def build(self) -> Activation:
        return self.act


def _piece_reference(
    piece: tuple[Recipe | _Here, int, Flush, np.ndarray, np.ndarray],
) -> np.ndarray:
    """A block's reference (in a worker, or in this process with one job)."""
    recipe, order, model, x, _ = piece
    return _reference(recipe.build(), x, order, model)


def _reference(act: Activation, x: np.ndarray, order: int, model: Flush) -> np.ndarray:
    """What the kernel should give at ``x``: the activation (or its derivative) at the
    input its hardware reads, written as its hardware writes it (``model``)."""
    x = model.inputs(x)
    ref = np.asarray(act(x) if order == 0 else act.derivative(x, order), dtype=np.float64)
    return model.results(ref)


# Errors this near half an ULP are decided exactly: a correctly rounded y is within it, a
# misrounded one beyond, but the float64 reference cannot tell the two apart where the exact
# value lies a hair from a rounding midpoint (as silu(x) ≈ x/2 does for tiny x).
HALF_ULP_DOUBT = 2.0**-20


def _deviations(
    act: Activation,
    order: int,
    x: np.ndarray,
    y: np.ndarray,
    ref: np.ndarray,
    dtype: str,
    model: Flush,
) -> Deviations:
    """:func:`deviations`, with the errors of a narrow type near half an ULP settled: at most
    0.5 where y is the exact value correctly rounded (at the input ``model`` reads, written
    as it writes), over 0.5 where it is not."""
    errors = deviations(y, ref, dtype)
    if not dtypes.lookup(dtype).narrow:
        return errors
    ulps = errors[0]
    doubt = np.flatnonzero(np.abs(ulps - 0.5) <= HALF_ULP_DOUBT)
    if doubt.size:
        from actcli import exact

        right = exact.rounded(act, order, model.inputs(x[doubt]), ref[doubt], dtype)
        correct = model.results(right.astype(np.float64)) == y[doubt]
        ulps[doubt] = np.where(
            correct, np.minimum(ulps[doubt], 0.5), np.maximum(ulps[doubt], np.nextafter(0.5, 1))
        )
    return errors


def _scan(
    pairs: PairBlocks, dtype: str, by_units: bool, act: Activation, order: int, model: Flush
) -> tuple[banding.Scan, Sample, PairBlocks]:
    """The first pass: x, and a sample of the errors; and the pairs to read again. Pairs that
    can be read once (``once``: standard input, text) are kept in a :class:`Spool` as they
    pass, x and y as ``dtype`` numbers (what :func:`received` makes of them, exactly)."""
    kind = dtypes.numpy_dtype(dtype)
    scan = banding.new_scan(by_units)
    sample = Sample()
    spool = Spool(kind) if getattr(pairs, "once", False) else None
    try:
        for xs, ys in pairs():
            x = received(xs, kind, dtype)
            taken = sample.rows(scan.rows, x.size)
            if spool is None:
                y = received(ys[taken], kind, dtype)
            else:
                whole = received(ys, kind, dtype)
                spool.write(x, whole)
                y = whole[taken]
            tags = x[taken].copy()  # (a view would hold on to the whole block)
            ref = _reference(act, tags, order, model)
            errors = _deviations(act, order, tags, y, ref, dtype, model)
            keep = _finite(errors)  # (as the ULP statistics: finite rows)
            sample.add(*((tags, errors[0]) if keep is None else (tags[keep], errors[0][keep])))
            scan.add(x)
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    return scan, sample, pairs if spool is None else spool


def _finite(errors: Deviations) -> np.ndarray | None:
    """The rows where the value given and the reference are finite (None: every row)."""
    odd = errors[3]
    if not odd.size:
        return None
    keep = np.ones(errors[0].size, dtype=bool)
    keep[odd] = False
    return keep


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
        self,
        scan: banding.Scan,
        layout: banding.Layout,
        dtype: str,
        tolerance: float,
        guesses: list[Window],
    ) -> None:
        n = len(layout.spans) + 1
        self.scan, self.layout, self.dtype, self.tolerance = scan, layout, dtype, tolerance
        self.count = np.zeros(n, dtype=np.int64)
        self.failed = np.zeros(n, dtype=np.int64)
        self.largest = np.zeros((3, n))  # ULP, relative, absolute
        self.order = Quantiles(n, guesses)
        self.worst: list[tuple[float, int, dict[str, float]]] = []  # (ULP, row, the row)
        self.steps = Steps(dtype)
        self.unordered: list[np.ndarray] = []  # x, y and reference of the finite rows ...
        self.filled = 0  # ... when x is out of order: the scan needs them sorted
        if not scan.ascending:  # (x and y of a narrow type are float32 numbers)
            kind = np.float64 if dtype == "float64" else np.float32
            self.unordered = [np.empty(scan.rows, kind), np.empty(scan.rows, kind)]
            self.unordered.append(np.empty(scan.rows))
        self.signs = Rows("sign_error", "outputs of the wrong sign")
        self.broken = Rows("non_finite", "inf or nan where the reference is finite")
        self.flushes = Flushes(dtype)
        self.specials = Specials()
        self.narrower = Narrower(dtype)
        self.causes: Causes | None = None  # failing rows a flush mode would pass
        self.values = SpecialValues(dtype)

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
        ulps, _, _, odd = errors
        self.values.add(x, y, ref, odd)
        self._add_errors(start, x, y, ref, errors, passes, groups)
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
        if self.causes is not None:
            self.causes.add(x, y, ref, passes)

    def _add_errors(
        self,
        start: int,
        x: np.ndarray,
        y: np.ndarray,
        ref: np.ndarray,
        errors: Deviations,
        passes: np.ndarray,
        groups: np.ndarray,
    ) -> None:
        """The ULP statistics: over the rows where the value and the reference are finite
        (inf and nan are the special values' verdict)."""
        ulps, diff, rel, _ = errors
        keep = _finite(errors)
        if keep is not None:
            x, y, ref, ulps, diff, rel = (
                x[keep],
                y[keep],
                ref[keep],
                ulps[keep],
                diff[keep],
                rel[keep],
            )
            passes, groups = passes[keep], groups[keep]
            if not ulps.size:
                return
        present, starts, in_order, columns = group_order(groups, ulps, rel, diff)
        self.count[present] += np.diff(np.append(starts, ulps.size))
        for j, column in enumerate(columns):
            reduced = np.maximum.reduceat(column, starts)
            self.largest[j, present] = np.maximum(self.largest[j, present], reduced)
        self.failed += np.bincount(groups[~passes], minlength=self.count.size)
        self.order.add(present, starts, in_order, columns[0])
        self._add_worst(start, x, y, ref, ulps, keep)

    def _add_worst(
        self,
        start: int,
        x: np.ndarray,
        y: np.ndarray,
        ref: np.ndarray,
        ulps: np.ndarray,
        kept: np.ndarray | None,
    ) -> None:
        """The 5 largest errors so far (the first of equal ones first); rows under the 5th
        largest so far cannot be among them. ``kept``: the rows of the block given (None:
        all), for the row numbers."""
        floor = self.worst[-1][0] if len(self.worst) == 5 else 0.0
        rows = np.flatnonzero(ulps > floor)  # only errors > 0 are reported
        number = np.arange(ulps.size) if kept is None else np.flatnonzero(kept)
        candidates = [
            (
                float(ulps[i]),
                start + int(number[i]),
                example(x, y, ref, int(i)) | {"ulp": float(ulps[i])},
            )
            for i in rows[_largest(ulps[rows], 5)]
        ]
        self.worst = sorted(self.worst + candidates, key=lambda w: (-w[0], w[1]))[:5]

    def merge(self, later: _Tally) -> None:
        """Take in the tally of the rows that follow these (x ascending), as if they had been
        added here: the same counts, maxima, worst rows, findings and held values."""
        self.count += later.count
        self.failed += later.failed
        np.maximum(self.largest, later.largest, out=self.largest)
        self.order.merge(later.order)
        self.worst = sorted(self.worst + later.worst, key=lambda w: (-w[0], w[1]))[:5]
        self.steps.merge(later.steps)
        self.signs.merge(later.signs)
        self.broken.merge(later.broken)
        self.flushes.merge(later.flushes)
        self.specials.merge(later.specials)
        self.narrower.merge(later.narrower)
        if self.causes is not None and later.causes is not None:
            self.causes.merge(later.causes)
        self.values.merge(later.values)

    def report(self, atol: float | None, rtol: float | None, again: Again) -> Report:
        """The report (its activation left to the caller to fill in)."""
        scan = self.scan
        if self.unordered:
            xs, ys, rs = (column[: self.filled] for column in self.unordered)
            order = np.argsort(xs, kind="stable")
            for at in range(0, order.size, PIECE):  # in x order, a piece at a time
                rows = order[at : at + PIECE]
                self.steps.add(xs[rows].astype(np.float64), ys[rows].astype(np.float64), rs[rows])
            self.unordered = []
        kept = [g for g in range(1, self.count.size) if self.count[g]]
        if self.count.sum():
            medians, p99s = self.order.quantiles(self.count, kept, again)
        else:  # every row is inf or nan: the special values' verdict alone
            medians, p99s = {None: 0.0}, {None: 0.0}
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
        found += self.causes.findings() if self.causes is not None else []
        report.findings = [f for f in found if f is not None]
        report.special_values = self.values
        return report
