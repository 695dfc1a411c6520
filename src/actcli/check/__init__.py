"""check: values computed elsewhere against actcli's reference, in ULP of their dtype.

>>> import actcli, numpy as np
>>> x = np.linspace(-4.0, 4.0, 9)
>>> report = actcli.check("relu", x, np.maximum(x, 0.0))
>>> report.passed, report.max_ulp
(True, 0.0)

:func:`check` is the entry; the package calls itself, so ``actcli.check(...)`` is
``actcli.check.check(...)``. Its modules:

- :mod:`~actcli.check.compute`: the passes over the x, y pairs and their tally
- :mod:`~actcli.check.deviations`: errors in ULP, absolute and relative; the pass test
- :mod:`~actcli.check.bands`: the bands of x and each row's band
- :mod:`~actcli.check.quantiles`: exact streaming medians and 99th percentiles
- :mod:`~actcli.check.findings`: non-monotonic steps, wrong signs, flush to zero, ...
- :mod:`~actcli.check.flush`: the hardware's flush modes (DAZ, FTZ) in the reference
- :mod:`~actcli.check.budget`: budget files: read, judged against, written
- :mod:`~actcli.check.report`: :class:`Report`, its tables, text and JSON document
- :mod:`~actcli.check.figure`: the error figure (matplotlib; imported only by ``-o``)
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.check.report import Report
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.inputs import PairBlocks

__all__ = ["Report", "check"]


def check(
    activation: str | Activation,
    x: Any,
    y: Any = None,
    *,
    dtype: str = "float64",
    order: int = 0,
    tol: float | None = None,
    atol: float | None = None,
    rtol: float | None = None,
    bands: Sequence[float] | None = None,
    x_column: str | None = None,
    y_column: str | None = None,
    daz: bool = False,
    ftz: bool = False,
    budget: str | os.PathLike[str] | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
) -> Report:
    """How far the values ``y`` at ``x`` are from the activation's (``order`` 1 or 2: its
    derivative's), in ULP of ``dtype`` (x and y are rounded to it first).

    ``x`` and ``y``: arrays of one size; or ``x`` alone, a file (CSV/TSV/whitespace, .npy,
    .npz; ``"-"``: standard input) with ``x_column`` and ``y_column``, or a callable that
    reads (x, y) blocks anew at each call. A row passes within ``tol`` ULP or, with ``atol``
    or ``rtol``, when ``|y − ref| <= atol + rtol·|ref|`` (``tol`` default: 4, or the
    budget's ``max_ulp``). ``bands``: edges in x, ascending
    (default: by sign and binade of |x|). ``daz``/``ftz``: the kernel's hardware reads
    subnormal inputs as ±0 / writes subnormal results as ±0 (subnormal in ``dtype``), and the
    reference does the same (:mod:`actcli.check.flush`). ``budget``: a budget file, whose
    entry for this activation, dtype and quantity judges the run (:mod:`actcli.check.budget`).
    ``jobs``: processes (None: every core), or ``scheduler``, a Dask cluster's
    (``tcp://HOST:PORT``), tallying runs of rows merged in row order: the report is the same
    for any number (:mod:`actcli.parallel`).
    """
    from actcli import dtypes, inputs, parallel
    from actcli.catalog.binding import get
    from actcli.check.compute import check_pairs
    from actcli.check.flush import Flush

    spread = parallel.workers(jobs, scheduler)  # (checked before a file is opened)
    act = get(activation) if isinstance(activation, str) else activation
    if act.kind != "elementwise":
        raise UsageError(f"check takes an elementwise activation; {act.name} is a vector one")
    if order not in (0, 1, 2):
        raise UsageError(f"order must be 0, 1 or 2, got {order}")
    dtypes.lookup(dtype)
    budgets = limit = None
    if budget is not None:
        from actcli.check import budget as budgeting

        if tol is not None:
            raise UsageError(
                "{0} and {1}: give one; the budget's max_ulp is the tolerance",
                option=("tol", "budget"),
            )
        budgets = budgeting.load(budget)
        limit = budgets.limit(act.spec, dtype, order)
        tol = limit.max_ulp
    tol = 4.0 if tol is None else tol
    for name, value in (("tol", tol), ("atol", atol), ("rtol", rtol)):
        if value is not None and not (value >= 0 and math.isfinite(value)):
            raise UsageError(f"{name} must be a finite number >= 0, got {value}")
    edges = None if bands is None else [float(e) for e in bands]
    if edges is not None and (
        not all(math.isfinite(e) for e in edges)
        or any(b <= a for a, b in itertools.pairwise(edges))
    ):
        raise UsageError(f"band edges {edges}: expected finite edges in ascending order")
    pairs: PairBlocks
    if y is not None:
        xs, ys = np.ravel(np.asarray(x, dtype=np.float64)), np.ravel(np.asarray(y, np.float64))
        if xs.size != ys.size:
            raise ValueError(f"x and y differ in length: {xs.size} and {ys.size}")
        pairs = inputs.in_blocks(xs, ys)
    elif isinstance(x, str | os.PathLike):
        stdin, _ = inputs.standard_input()
        pairs = inputs.pair_blocks(os.fspath(x), x_column, y_column, stdin)
    elif callable(x):
        pairs = x
    else:
        raise TypeError("check takes x and y, a file, or a callable reading (x, y) blocks")
    flush = Flush(dtype, daz=daz, ftz=ftz)
    report = check_pairs(
        act,
        pairs,
        order,
        dtype,
        tol,
        atol=atol,
        rtol=rtol,
        edges=edges,
        flush=flush,
        jobs=spread,
    )
    if budgets is not None and limit is not None:
        report.budget = budgeting.judge(report, budgets, limit)
    return report


class _Callable(types.ModuleType):
    """``actcli.check`` is this package once imported: calling it calls :func:`check`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Report:
        return check(*args, **kwargs)


sys.modules[__name__].__class__ = _Callable
