"""What ``eval`` and ``diff`` compute: columns of numbers from an activation and its input.

:func:`evaluate` is the whole of it: the input a request selects, evaluated, as a ready stream
of output blocks (:class:`Evaluation`) for a writer; parsing, evaluating and writing overlap
on their own threads. :func:`elementwise` turns input blocks into output blocks as they come;
:func:`vector` needs its whole vector first. Narrow dtypes are computed in float64 and
rounded once; inputs and results that overflow to ±inf or flush to zero in the narrow type are
counted for a warning. Output columns keep the narrow dtype, so that they print as the
shortest string of *that* type (0.1, not 0.10000000149011612).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from actcli import dtypes, inputs, parallel
from actcli.catalog.binding import Activation
from actcli.errors import DataError, UsageError
from actcli.inputs import every
from actcli.parallel import Recipe, Shard, Workers

Block = list[np.ndarray]  # one array per output column, all of the same length
MAX_JACOBIAN = 4096  # n × n entries: 4096² doubles are 134 MB
# A vector activation holds its whole input (softmax needs the row's maximum and sum before
# any output); about 160 bytes a value at the peak: 1,000,000 values take 180 MB
# (`eval softmax --steps 1e8` took over 6 GB). Refused as soon as the input passes it.
MAX_VECTOR_VALUES = 1_000_000
MAX_VECTOR_VARIABLE = "ACTCLI_MAX_VECTOR_VALUES"


def max_vector_values() -> int:
    """The most values a vector activation holds (MAX_VECTOR_VALUES, or the environment's
    ACTCLI_MAX_VECTOR_VALUES)."""
    import os

    text = os.environ.get(MAX_VECTOR_VARIABLE, "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_VECTOR_VALUES


def _held(act: Activation, blocks: Iterable[np.ndarray]) -> list[np.ndarray]:
    """The blocks of a vector activation's input, refused once they pass the limit."""
    limit, held, parts = max_vector_values(), 0, []
    for part in blocks:
        held += part.size
        if held > limit:
            raise DataError(
                f"{act.name} holds its whole input: over {limit:,} values is too many "
                f"({MAX_VECTOR_VARIABLE} changes the limit)"
            )
        parts.append(part)
    return parts


@dataclass
class Report:
    """Counts for the closing warnings."""

    dtype: str = "float64"
    input_overflow: int = 0
    input_flushed: int = 0
    overflow: int = 0
    flushed: int = 0
    # numbers written beyond float64's range ("over": read as ±inf, "under": as 0)
    lost: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # the reader's, e.g. a first row read as nan

    def warnings(self) -> list[str]:
        out = list(self.notes)
        # a type without infinities (float8_e4m3fn) overflows to nan
        beyond = "nan" if dtypes.lookup(self.dtype).overflow == "nan" else "±inf"
        what = (
            (self.input_overflow, f"input value(s) overflowed to {beyond}"),
            (self.lost["over"], "input value(s) overflowed to ±inf"),
            (self.input_flushed + self.lost["under"], "nonzero input value(s) flushed to zero"),
            (self.overflow, f"result(s) overflowed to {beyond}"),
            (self.flushed, "nonzero result(s) flushed to zero"),
        )
        for count, text in what:
            if count:
                out.append(f"{count} {text} in {self.dtype}")
        return out


@dataclass
class Evaluation:
    """What ``eval`` and ``diff`` hand a writer: the columns' names, the metadata, and the
    output blocks as a stream (read, evaluated and written as they come). ``report`` is
    complete once the blocks have all been taken."""

    columns: list[str]
    meta: dict[str, Any]
    blocks: Iterable[Block]
    report: Report
    inputs: int  # leading input columns (x, i): 1, or 0 for rows of softmax_1, ...
    total: int | None = None  # the rows to come, when known (--all): for a progress bar


def evaluate(
    acts: Sequence[tuple[Activation, str]],
    order: int,
    request: inputs.Request,
    dtype: str,
    stdin: IO[bytes] | None,
    stdin_is_terminal: bool,
    by_columns: bool = False,
    jobs: Workers | int = 1,
    shard: Shard | None = None,
) -> Evaluation:
    """Evaluate (order 0) or differentiate (1, 2; the Jacobian of a vector) on the input
    ``request`` selects: one activation, or a family's members side by side, each with the
    name of its column. Elementwise output is a stream of blocks in three stages on their own
    threads (parse, evaluate, and the caller's write: polars and numpy work outside the GIL,
    so they overlap); a vector activation reads its whole input first.

    ``--all`` (``request.every``) runs over ``jobs`` (processes, or a Dask cluster's
    workers), the sweep cut in pieces of
    contiguous keys whose blocks come back in order (:func:`sweep`); ``shard``: only that
    part of it."""
    act = acts[0][0]
    report = Report(dtype=dtype)
    shard = shard or Shard()
    if not shard.whole and request.every is None:
        raise UsageError("{0}: only with {1}", option=("shard", "every"))
    total = None
    results: Iterable[Block]
    if request.every is not None and act.kind != "vector":
        parts = inputs.every_pieces(request, shard)
        total = sum(p.size for p in parts)
        work = [([Recipe.of(a) for a, _ in acts], order, dtype, p) for p in parts]
        results = sweep(work, jobs, report)
        columns = ["x", *(column_name(column, order) for _, column in acts)]
    elif act.kind == "vector":
        if not shard.whole:  # (one vector: a part of it is another vector)
            raise UsageError(
                f"{{0}}: {act.name} is a vector activation; it takes its whole input",
                option="shard",
            )
        blocks = inputs.blocks(request, stdin, stdin_is_terminal, report.lost, report.notes)
        columns, block = vector(act, blocks, order > 0, dtype, report, by_columns=by_columns)
        results = [block]
    else:
        blocks = inputs.blocks(request, stdin, stdin_is_terminal, report.lost, report.notes)
        columns = ["x", *(column_name(column, order) for _, column in acts)]
        results = inputs.read_ahead(elementwise([a for a, _ in acts], blocks, order, dtype, report))
    meta = describe(act, order, dtype, act.kind == "vector" and order > 0)
    if len(acts) > 1:  # a family: the parameters its members share, and its columns
        meta["params"] = {
            k: v for k, v in act.params.items() if all(a.params[k] == v for a, _ in acts)
        }
        meta["spec"] = act.name  # no one spec: each column's name is its member's
        meta["family"] = [column for _, column in acts]
    leading = 1 if columns[0] in ("x", "i") else 0  # softmax_1, ... rows have no input column
    return Evaluation(columns, meta, results, report, leading, total)


Piece = tuple[list[Recipe], int, str, every.Piece]  # activations, order, dtype, keys


def sweep(work: list[Piece], jobs: Workers | int, report: Report) -> Iterator[Block]:
    """The blocks of ``--all``'s pieces in order, evaluated by ``jobs`` processes (read
    ahead in a thread, so that writing overlaps the wait); their counts added to ``report``
    as each block comes."""

    def blocks() -> Iterator[Block]:
        for block, counts in parallel.ordered(_evaluate_piece, work, jobs, inline=1):
            report.input_overflow += counts[0]
            report.input_flushed += counts[1]
            report.overflow += counts[2]
            report.flushed += counts[3]
            yield block

    return inputs.read_ahead(blocks())


def _evaluate_piece(piece: Piece) -> tuple[Block, tuple[int, int, int, int]]:
    """One piece of a sweep: its block and the counts of its warnings (in a worker)."""
    recipes, order, dtype, keys = piece
    part = Report(dtype=dtype)
    acts = [r.build() for r in recipes]
    (block,) = elementwise(acts, [keys.values()], order, dtype, part)
    return block, (part.input_overflow, part.input_flushed, part.overflow, part.flushed)


def _round(
    values: np.ndarray, dtype: str, exact: tuple[Activation, int, np.ndarray] | None = None
) -> tuple[np.ndarray, int, int]:
    """values rounded to dtype, with the counts of new infinities and of flushes to zero;
    correctly, with ``exact`` = (the activation, the derivative's order, x): the few results
    too near a rounding boundary for float64's error are decided exactly
    (exact.rounded)."""
    if exact is None:
        narrow = dtypes.round_to(values, dtype)
    else:
        from actcli import exact as reference

        narrow = reference.rounded(*exact, values, dtype)
    with np.errstate(invalid="ignore"):  # (nan, where a type without inf overflows)
        wide = narrow.astype(np.float64)
    finite = np.isfinite(values)
    overflow = int(np.sum(finite & ~np.isfinite(wide)))
    flushed = int(np.sum(finite & (values != 0) & (wide == 0)))
    return narrow, overflow, flushed


def column_name(name: str, order: int) -> str:
    """``gelu``, ``dgelu`` (first derivative) or ``d2gelu`` (second)."""
    return ("", "d", "d2")[order] + name


def describe(act: Activation, order: int, dtype: str, jacobian: bool) -> dict[str, Any]:
    """Metadata for JSON output and the table caption."""
    quantity = "jacobian" if jacobian else ("value", "derivative", "second derivative")[order]
    return {
        "activation": act.name,
        "spec": act.spec,
        "params": dict(act.params),
        "dialect": act.dialect,
        "dtype": dtype,
        "quantity": quantity,
    }


def _apply(fn: Any, x: np.ndarray, dtype: str, report: Report) -> tuple[np.ndarray, np.ndarray]:
    """(x, fn(x)) with x rounded to dtype first (as a kernel receives it) and the float64
    result rounded once. x comes back as float64, so that it is written as the exact value
    the function saw (-7.6875, not bfloat16's shortest "-7.7", which reads back as -7.7); the
    result keeps the narrow dtype, written as the shortest string that reads back as it."""
    exact = _input(x, dtype, report)
    return exact, _output(fn(exact), dtype, report)


def _input(x: np.ndarray, dtype: str, report: Report) -> np.ndarray:
    """x rounded to dtype and back to float64: the exact values a dtype kernel receives."""
    if dtype == "float64":
        return x
    xd, over, flush = _round(x, dtype)
    report.input_overflow += over
    report.input_flushed += flush
    return xd.astype(np.float64)


def _output(
    y: Any, dtype: str, report: Report, exact: tuple[Activation, int, np.ndarray] | None = None
) -> np.ndarray:
    """A float64 result, rounded to dtype (correctly with ``exact``: see _round)."""
    if dtype == "float64":
        return np.asarray(y, dtype=np.float64)
    narrow, over, flush = _round(np.asarray(y, dtype=np.float64), dtype, exact)
    report.overflow += over
    report.flushed += flush
    return narrow


def elementwise(
    acts: Sequence[Activation],
    blocks: Iterable[np.ndarray],
    order: int,
    dtype: str,
    report: Report,
) -> Iterator[Block]:
    """Blocks of the columns x and f(x) (or f′, f″) of each activation (a family has
    several), in input order, one per input block."""

    def fn(act: Activation, x: np.ndarray) -> Any:
        return act(x) if order == 0 else act.derivative(x, order)

    for block in blocks:
        if block.ndim == 2 and block.shape[1] != 1:
            raise UsageError(
                f"{acts[0].name} is elementwise: pick one column (by name or 1-based index)",
                option="column",
            )
        x = _input(block.reshape(-1), dtype, report)
        yield [x, *(_output(fn(act, x), dtype, report, (act, order, x)) for act in acts)]


def vector(
    act: Activation,
    blocks: Iterable[np.ndarray],
    jacobian: bool,
    dtype: str,
    report: Report,
    by_columns: bool = False,
) -> tuple[list[str], Block]:
    """The column names and columns for a vector activation.

    A single column (or the values on the command line) is one vector: the output has one
    row per element, ``x,softmax`` (``i,glu`` when the output is shorter than the input).
    Several columns make one vector per row: the output row is ``softmax_1,...,softmax_m``;
    ``by_columns`` makes each column a vector instead (axis 0): output column j is the
    activation of input column j. ``jacobian`` asks for ∂f/∂x of a single vector: m rows of n
    columns.
    """
    parts = _held(act, blocks)
    name = act.name
    one_vector = all(p.ndim == 1 or p.shape[1] == 1 for p in parts)
    if not parts:  # no input: no rows, but the columns are still named
        return (["i", "x_1"] if jacobian else ["x", name]), [np.array([]), np.array([])]
    data = np.concatenate([p.reshape(-1) for p in parts]) if one_vector else np.vstack(parts)
    if jacobian:
        if not one_vector:
            raise UsageError(f"diff {name}: the Jacobian is for one vector; give one column")
        if data.size > MAX_JACOBIAN:
            raise UsageError(
                f"diff {name}: a Jacobian of {data.size}² entries is too large "
                f"(at most {MAX_JACOBIAN} values)"
            )
    if by_columns and not one_vector:
        _, y = _apply(lambda a: act(a, axis=0), data, dtype, report)
        return [f"{name}_{j}" for j in range(1, y.shape[1] + 1)], list(y.T)
    x, y = _apply(act.jacobian if jacobian else act, data, dtype, report)
    if jacobian:
        cols = [f"x_{j}" for j in range(1, x.size + 1)]
        return ["i", *cols], [_index(y.shape[0]), *y.T]
    if one_vector:
        if y.size == x.size:
            return ["x", name], [x, y]
        return ["i", name], [_index(y.size), y]
    return [f"{name}_{j}" for j in range(1, y.shape[1] + 1)], list(y.T)


def _index(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)
