"""``actcli eval`` and ``actcli diff``: an activation's values or derivatives, streamed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actcli import formats, inputs
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
    JobsOption,
    NameArg,
    NoColorOption,
    NoHeaderOption,
    ParamOption,
    PrecisionOption,
    RangeOption,
    SchedulerOption,
    ShardOption,
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
    from actcli.parallel import Shard, Workers


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
    jobs: JobsOption = None,
    shard: ShardOption = None,
    scheduler: SchedulerOption = None,
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
    recognised; # comments are skipped); --column K picks column K of a .npy, --column NAME
    the array NAME of a .npz (eval -o writes x and y). Vector activations (softmax, glu, ...) take one
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
    scale = _scale(jobs, shard, scheduler, every)
    request = _request(values, range_, steps, input_file, column, every, special, scale)
    _check_output(output_file, fmt, precision, no_header)
    run(
        acts,
        0,
        request,
        dtype,
        Shown(fmt, precision, no_header, no_color, output_file, axis is Axis.columns),
        scale,
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
    jobs: JobsOption = None,
    shard: ShardOption = None,
    scheduler: SchedulerOption = None,
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
    scale = _scale(jobs, shard, scheduler, every)
    request = _request(values, range_, steps, input_file, column, every, special, scale)
    _check_output(output_file, fmt, precision, no_header)
    run(
        acts,
        order,
        request,
        dtype,
        Shown(fmt, precision, no_header, no_color, output_file, axis is Axis.columns),
        scale,
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


@dataclass(frozen=True)
class Scale:
    """--jobs, --scheduler and --shard: how --all's sweep is spread (``asked``: one of them
    was given)."""

    jobs: Workers
    shard: Shard
    asked: bool


def _scale(
    jobs: int | None, shard: str | None, scheduler: str | None, every: Dtype | None
) -> Scale:
    from actcli.parallel import Shard, workers

    for flag, value in (("shard", shard), ("jobs", jobs), ("scheduler", scheduler)):
        if every is None and value is not None:
            raise UsageError("{0}: only with {1}", option=(flag, "every"))
    part = Shard() if shard is None else Shard.parse(shard)
    asked = jobs is not None or shard is not None or scheduler is not None
    return Scale(workers(jobs, scheduler), part, asked)


def _request(
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int | None,
    input_file: Path | None,
    column: str | None,
    every: Dtype | None,
    special: bool,
    scale: Scale,
) -> inputs.Request:
    if every is Dtype.float32 and range_ is None and not scale.asked:
        # (with --jobs or --shard the sweep of all of them is what is asked for)
        raise UsageError("--all float32 is 4.3 billion values: give --range A B as well")
    if every is not None:
        count = inputs.every_count(every.value, range_, special, scale.shard.pair())
        if count > LONG_SWEEP:  # minutes of work: say so before it starts
            where = "in that range" if scale.shard.whole else f"in shard {scale.shard}"
            output.note(f"note: --all {every.value} {where} is {count:,} values")
    return inputs.Request(
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
    request: inputs.Request,
    dtype: Dtype,
    shown: Shown,
    scale: Scale,
) -> None:
    """One core call (:func:`evaluation.evaluate`), its stream of blocks to a writer, and its
    warnings to stderr once the stream has been written."""
    from actcli import evaluation
    from actcli.cli import progress

    stdin, stdin_is_terminal = inputs.standard_input()
    done = evaluation.evaluate(
        acts,
        order,
        request,
        dtype.value,
        stdin,
        stdin_is_terminal,
        shown.by_columns,
        jobs=scale.jobs,
        shard=scale.shard,
    )
    if done.total is not None:
        done.blocks = progress.rows(done.blocks, done.total, "evaluating")
    table = Table(done.columns, [], title=_title(done.meta), meta=done.meta, inputs=done.inputs)
    if shown.path is not None:
        rows = formats.write_numpy(shown.path, done.columns, done.blocks)
        output.note(f"wrote {rows} rows to {shown.path}")
    else:
        output.emit_blocks(
            table,
            done.blocks,
            shown.fmt,
            header=not shown.no_header,
            precision=shown.precision,
            no_color=shown.no_color,
        )
    for warning in done.report.warnings():
        output.note(f"warning: {warning}")


def _title(meta: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in meta["params"].items())
    what = {"value": "", "derivative": "d/dx ", "second derivative": "d²/dx² ", "jacobian": "∂/∂x "}
    head = f"{what[meta['quantity']]}{meta['activation']}" + (f"({params})" if params else "")
    if "family" in meta:
        head += f", a family of {len(meta['family'])}"
    return f"{head} · dialect {meta['dialect']} · {meta['dtype']}"
