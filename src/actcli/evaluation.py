"""What ``eval`` and ``diff`` compute: columns of numbers from an activation and its input.

:func:`evaluate` turns input blocks into output blocks (streaming for elementwise
activations; a vector activation needs its whole vector first). Narrow dtypes are computed in
float64 and rounded once; overflow to ±inf and flush to zero are counted for a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actcli.catalog.registry import Activation
from actcli.errors import DataError, UsageError

DTYPES = ("float64", "float32", "float16", "bfloat16")


def numpy_dtype(name: str) -> np.dtype[Any]:
    if name == "bfloat16":
        import ml_dtypes

        bfloat16: np.dtype[Any] = np.dtype(ml_dtypes.bfloat16)
        return bfloat16
    if name not in DTYPES:
        raise UsageError(f"unknown dtype {name!r} (dtypes: {', '.join(DTYPES)})")
    return np.dtype(name)


@dataclass
class Report:
    """What happened on the way: counts for the closing warnings."""

    dtype: str = "float64"
    overflow: int = 0
    flushed: int = 0
    rows: int = 0

    def warnings(self) -> list[str]:
        out = []
        if self.overflow:
            out.append(f"{self.overflow} result(s) overflowed to ±inf in {self.dtype}")
        if self.flushed:
            out.append(f"{self.flushed} nonzero result(s) flushed to zero in {self.dtype}")
        return out


@dataclass
class Evaluation:
    """The shape of the output: column names and the metadata written with it."""

    columns: list[str]
    meta: dict[str, Any]
    report: Report = field(default_factory=Report)


def column_name(act: Activation, order: int) -> str:
    """``gelu``, ``dgelu`` (first derivative) or ``d2gelu`` (second)."""
    return ("", "d", "d2")[order] + act.name


def describe(act: Activation, order: int, dtype: str, kind: str) -> dict[str, Any]:
    """Metadata for JSON output and the table caption."""
    return {
        "activation": act.name,
        "spec": act.spec,
        "params": dict(act.params),
        "dialect": act.dialect,
        "dtype": dtype,
        "quantity": ("value", "derivative", "second derivative", "jacobian")[
            3 if kind == "jacobian" else order
        ],
    }


def _rounded(
    act: Activation, x: np.ndarray, order: int, dtype: np.dtype[Any], report: Report
) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) in ``dtype``: the input rounded to it, the result computed in float64 and rounded."""
    if dtype == np.float64:
        xd = x
        y = act(x) if order == 0 else act.derivative(x, order)
        return xd, np.asarray(y, dtype=np.float64)
    with np.errstate(over="ignore"):
        xd = x.astype(dtype)
    x64 = xd.astype(np.float64)
    y64 = np.asarray(act(x64) if order == 0 else act.derivative(x64, order), dtype=np.float64)
    with np.errstate(over="ignore"):
        y = y64.astype(dtype)
    yf = y.astype(np.float64)
    report.overflow += int(np.sum(np.isfinite(y64) & np.isinf(yf)))
    report.flushed += int(np.sum((y64 != 0) & np.isfinite(y64) & (yf == 0)))
    return x64, yf


Block = list[np.ndarray]  # one array per output column, all of the same length


def elementwise(
    act: Activation, blocks: Iterable[np.ndarray], order: int, dtype: str, report: Report
) -> Iterator[Block]:
    """Blocks of the columns x and f(x) (or f′, f″), in input order, one per input block."""
    dt = numpy_dtype(dtype)
    for block in blocks:
        x = block.reshape(-1) if block.ndim == 1 or block.shape[1] == 1 else None
        if x is None:
            raise UsageError(f"{act.name} is elementwise: give one column (--column NAME or INDEX)")
        xd, y = _rounded(act, x, order, dt, report)
        report.rows += x.size
        yield [xd, y]


def vector(
    act: Activation, blocks: Iterable[np.ndarray], jacobian: bool, dtype: str, report: Report
) -> tuple[list[str], Block]:
    """The column names and columns for a vector activation.

    A single column (or the values on the command line) is one vector: the output has one
    row per element, ``x,softmax`` (``i,glu`` when the output is shorter than the input).
    Several columns make one vector per row: the output row is ``softmax_1,...,softmax_m``.
    ``jacobian`` asks for ∂f/∂x of a single vector: m rows of n columns.
    """
    parts = list(blocks)
    if not parts:
        raise DataError("no input values")
    one_vector = all(p.ndim == 1 or p.shape[1] == 1 for p in parts)
    data = np.concatenate([p.reshape(-1) for p in parts]) if one_vector else np.vstack(parts)
    dt = numpy_dtype(dtype)
    with np.errstate(over="ignore"):
        x = data.astype(dt).astype(np.float64)
    fn = act.jacobian if jacobian else act
    y64 = np.asarray(fn(x), dtype=np.float64)
    with np.errstate(over="ignore"):
        y = y64.astype(dt).astype(np.float64)
    report.overflow += int(np.sum(np.isfinite(y64) & np.isinf(y)))
    report.flushed += int(np.sum((y64 != 0) & np.isfinite(y64) & (y == 0)))
    name = act.name
    if jacobian:
        if not one_vector:
            raise UsageError(f"diff {name}: the Jacobian is for one vector; give one column")
        cols = [f"d{name}_i/dx_{j}" for j in range(1, x.size + 1)]
        report.rows = y.shape[0]
        return ["i", *cols], [_index(y.shape[0]), *y.T]
    if one_vector:
        report.rows = y.size
        if y.size == x.size:
            return ["x", name], [x, y]
        return ["i", name], [_index(y.size), y]
    report.rows = y.shape[0]
    return [f"{name}_{j}" for j in range(1, y.shape[1] + 1)], list(y.T)


def _index(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)
