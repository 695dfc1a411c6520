"""``actcli eval`` and ``actcli diff``: an activation's values or derivatives, streamed."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from actcli import formats, reading
from actcli.cli import output, specs
from actcli.cli.options import (
    Axis,
    AxisOption,
    ColumnOption,
    DataOutputOption,
    DialectOption,
    Dtype,
    DtypeOption,
    EveryOption,
    FormatOption,
    InfPolicy,
    InfPolicyOption,
    InputOption,
    NameArg,
    NoColorOption,
    NoHeaderOption,
    ParamOption,
    PrecisionOption,
    RangeOption,
    SpecialOption,
    StepsOption,
    SweepOption,
    TemperatureOption,
    ValuesArg,
    refuse_unused,
)
from actcli.errors import DataError, UsageError
from actcli.formats import OutputFormat, Table

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation


LONG_SWEEP = 100_000_000  # values of --all beyond which a note gives the count


@dataclass(frozen=True)
class Shown:
    """How the columns are written: the output options eval and diff share."""

    fmt: OutputFormat
    precision: int | None
    no_header: bool
    no_color: bool
    path: Path | None = None  # a .npy or .npz file instead of stdout
    by_columns: bool = False  # vector activations: each column is a vector


def eval_command(
    name: NameArg,
    values: ValuesArg = None,
    range_: RangeOption = None,
    steps: StepsOption = None,
    params: ParamOption = None,
    sweep: SweepOption = None,
    dialect: DialectOption = None,
    dtype: DtypeOption = Dtype.float64,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_header: NoHeaderOption = False,
    input_file: InputOption = None,
    column: ColumnOption = None,
    temperature: TemperatureOption = None,
    inf_policy: InfPolicyOption = None,
    no_color: NoColorOption = False,
    output_file: DataOutputOption = None,
    every: EveryOption = None,
    special: SpecialOption = False,
    axis: AxisOption = Axis.rows,
) -> None:
    """Evaluate an activation on VALUES, a --range, a file or stdin.

    VALUES, or --range A B (--steps N points), or numbers from --input FILE (text, .npy,
    .npz) or stdin; or --all DTYPE: every finite value of bfloat16 or float16 (±0 both;
    --special adds ±inf and nan), or every float32 in --range A B. --dtype D rounds x to D and
    the result once to D; x is written as the exact value evaluated. -o FILE.npy|.npz writes
    the columns as a numpy golden table instead. --sweep KEY=V1,V2,... (or KEY=START:STOP:N) adds
    one column per value of a parameter (elu:alpha=0.5, elu:alpha=1, ...).

    Output: a table on a terminal, CSV (x,NAME) in a pipe; --format csv|tsv|json|jsonl|table.
    Input: one number per line, or CSV/TSV/whitespace columns with --column (a header row is
    recognised; # comments are skipped). Vector activations (softmax, glu, ...) take one
    vector (the values, or a single column) or one vector per row of several columns (per
    column with --axis columns).

    Examples:

      actcli eval relu -2 -1 0 1

      actcli eval softmax 1 2 3

      actcli eval gelu --range -4 4 --steps 9 --dialect jax

      seq -5 0.5 5 | actcli eval gelu | column -s, -t

      actcli eval leaky_relu:negative_slope=0.2 -i data.csv -c x -f json

      actcli eval elu --sweep alpha=0.5,1,2 --range -2 0 --steps 5

      actcli eval gelu --all bfloat16 --dtype bfloat16 -o golden.npz
    """
    acts = _family(name, params, dialect, sweep, temperature, inf_policy)
    request = _request(values, range_, steps, input_file, column, every, special)
    _check_output(output_file, fmt, precision, no_header)
    run(
        acts,
        0,
        request,
        dtype,
        Shown(fmt, precision, no_header, no_color, output_file, axis is Axis.columns),
    )


def diff_command(
    name: NameArg,
    values: ValuesArg = None,
    order: Annotated[int, typer.Option("--order", min=1, max=2, help="1: f′, 2: f″.")] = 1,
    range_: RangeOption = None,
    steps: StepsOption = None,
    params: ParamOption = None,
    sweep: SweepOption = None,
    dialect: DialectOption = None,
    dtype: DtypeOption = Dtype.float64,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_header: NoHeaderOption = False,
    input_file: InputOption = None,
    column: ColumnOption = None,
    temperature: TemperatureOption = None,
    inf_policy: InfPolicyOption = None,
    no_color: NoColorOption = False,
    output_file: DataOutputOption = None,
    every: EveryOption = None,
    special: SpecialOption = False,
    axis: AxisOption = Axis.rows,
) -> None:
    """Differentiate an activation: f′ or f″ (a Jacobian for vectors).

    f′ with --order 1 (the default), f″ with --order 2.

    At kinks the derivative follows the dialect's convention (relu′(0) = 0; leaky_relu′(0) is
    the slope in torch and 1 in jax). For vector activations the output is the Jacobian of one
    vector: one row per output, one column per input. CSV header: x,dNAME (d2NAME for f″).
    Input and --sweep as for eval.

    Examples:

      actcli diff relu -1 0 1

      actcli diff leaky_relu 0 --dialect jax

      actcli diff silu --range -3 3 --order 2

      actcli diff softmax 1 2 3
    """
    acts = _family(name, params, dialect, sweep, temperature, inf_policy)
    if acts[0][0].kind == "vector" and order == 2:
        raise UsageError(
            f"diff {acts[0][0].name}: vector activations have a Jacobian, not --order 2"
        )
    request = _request(values, range_, steps, input_file, column, every, special)
    _check_output(output_file, fmt, precision, no_header)
    run(
        acts,
        order,
        request,
        dtype,
        Shown(fmt, precision, no_header, no_color, output_file, axis is Axis.columns),
    )


def _family(
    name: str,
    params: list[str] | None,
    dialect: str | None,
    sweep: list[str] | None,
    temperature: float | None,
    inf_policy: InfPolicy | None,
) -> list[tuple[Activation, str]]:
    """NAME and the name of its column, or with --sweep each member of the family and its
    column (``leaky_relu:negative_slope=0.1``): elementwise activations only."""
    if not sweep:
        act = specs.activation(name, params, dialect, temperature, inf_policy)
        return [(act, act.name)]
    if temperature is not None or inf_policy is not None:
        raise UsageError("--temperature and --inf-policy are for softmax, not with --sweep")
    members = specs.members([name], params, dialect, sweep)
    if members[0].act.kind == "vector":
        raise UsageError(
            f"--sweep: {members[0].act.name} is a vector activation; a family is one column "
            "per value, for elementwise ones (plot draws vector families)"
        )
    return [(m.act, m.column) for m in members]


def _request(
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int | None,
    input_file: Path | None,
    column: str | None,
    every: Dtype | None,
    special: bool,
) -> reading.Request:
    if every is Dtype.float32 and range_ is None:
        raise UsageError("--all float32 is 4.3 billion values: give --range A B as well")
    if every is not None:
        count = reading.every_count(every.value, range_, special)
        if count > LONG_SWEEP:  # minutes of work: say so before it starts
            output.note(f"note: --all {every.value} in that range is {count:,} values")
    return reading.Request(
        values=tuple(values or ()),
        span=range_,
        steps=steps,
        path=input_file,
        column=column,
        every=None if every is None else every.value,
        special=special,
    )


def _check_output(
    path: Path | None, fmt: OutputFormat, precision: int | None, no_header: bool
) -> None:
    """-o FILE: a numpy file, which keeps every digit and has no header or format to choose."""
    if path is None:
        return
    if path.suffix.lower() not in formats.NUMPY_OUTPUTS:
        raise UsageError(f"-o {path.name}: the suffix must be .npy or .npz (or drop -o for text)")
    if not path.parent.is_dir():
        raise DataError(f"cannot write {path}: no directory {path.parent}")
    text_only = {
        "--format": None if fmt is OutputFormat.auto else fmt,
        "--precision": precision,
        "--no-header": no_header,
    }
    refuse_unused(text_only, f"text output, not -o {path.name}")


def run(
    acts: list[tuple[Activation, str]],
    order: int,
    request: reading.Request,
    dtype: Dtype,
    shown: Shown,
) -> None:
    """Read, evaluate (order 0) or differentiate (1, 2; the Jacobian of a vector), write: one
    activation, or a family's members side by side (each with its column's name)."""
    from actcli import evaluation

    act = acts[0][0]
    lost: Counter[str] = Counter()
    blocks = reading.blocks(request, sys.stdin.buffer, sys.stdin.isatty(), lost)
    report = evaluation.Report(dtype=dtype.value)
    if act.kind == "vector":
        columns, block = evaluation.vector(
            act, blocks, order > 0, dtype.value, report, by_columns=shown.by_columns
        )
        results: Iterable[list[np.ndarray]] = [block]
    else:
        columns = ["x", *(evaluation.column_name(column, order) for _, column in acts)]
        # three stages on their own threads: parse, evaluate, write (polars and numpy work
        # outside the GIL, so they overlap)
        results = reading.read_ahead(
            evaluation.elementwise([a for a, _ in acts], blocks, order, dtype.value, report)
        )
    meta = evaluation.describe(act, order, dtype.value, act.kind == "vector" and order > 0)
    if len(acts) > 1:  # a family: the parameters its members share, and its columns
        meta["params"] = {
            k: v for k, v in act.params.items() if all(a.params[k] == v for a, _ in acts)
        }
        meta["spec"] = act.name  # no one spec: each column's name is its member's
        meta["family"] = [column for _, column in acts]
    inputs = 1 if columns[0] in ("x", "i") else 0  # softmax_1, ... rows have no input column
    table = Table(columns, [], title=_title(meta), meta=meta, inputs=inputs)
    if shown.path is not None:
        rows = formats.write_numpy(shown.path, columns, results)
        output.note(f"wrote {rows} rows to {shown.path}")
    else:
        output.emit_blocks(
            table,
            results,
            shown.fmt,
            header=not shown.no_header,
            precision=shown.precision,
            no_color=shown.no_color,
        )
    report.input_overflow += lost["over"]  # written beyond float64, read as ±inf or 0
    report.input_flushed += lost["under"]
    for warning in report.warnings():
        output.note(f"warning: {warning}")


def _title(meta: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in meta["params"].items())
    what = {"value": "", "derivative": "d/dx ", "second derivative": "d²/dx² ", "jacobian": "∂/∂x "}
    head = f"{what[meta['quantity']]}{meta['activation']}" + (f"({params})" if params else "")
    if "family" in meta:
        head += f", a family of {len(meta['family'])}"
    return f"{head} · dialect {meta['dialect']} · {meta['dtype']}"
