"""The ``actcli`` command line (the only module importing typer).

Every command parses its options, calls one core function and hands the result to a writer.
Errors are actcli exceptions, turned into one stderr line and an exit code in one place:
:class:`Boundary` (0 ok, 1 data or I/O error, 2 usage error, 130 Ctrl-C). ``ACTCLI_DEBUG=1``
lets them through with their traceback.
"""

from __future__ import annotations

import enum
import errno
import math
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from typer.core import TyperCommand, TyperGroup

from actcli import __version__
from actcli.errors import ActcliError, DataError, UsageError
from actcli.formats import OutputFormat, Table, resolve_format

if TYPE_CHECKING:
    from actcli.catalog.registry import Activation


class Boundary(TyperGroup):
    """The one place where errors become one stderr line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors from the parser (unknown option, bad choice) as one line too."""
        forward = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return super().main(*forward, **extra)
        try:
            code = super().main(*forward, **extra)
        except Exception as exc:
            name = type(exc).__name__
            if name == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
                if name == "Abort":  # Ctrl-C while parsing
                    sys.exit(130)
                if hasattr(exc, "show"):
                    exc.show()
                    sys.exit(getattr(exc, "exit_code", 2))
                raise
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            from actcli import render

            render.error(exc.format_message() + hint, render.console(sys.stderr))
            sys.exit(getattr(exc, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ActcliError as exc:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            from actcli import render

            render.error(str(exc), render.console(sys.stderr))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            raise typer.Exit(130) from None
        except OSError as exc:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            if not _closed_pipe(exc):
                from actcli import render

                render.error(exc.strerror or str(exc), render.console(sys.stderr))
                raise typer.Exit(1) from None
            # The reader went away (| head): stop quietly, and keep Python's final flush of
            # stdout from complaining about the same closed pipe.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None


def _closed_pipe(exc: OSError) -> bool:
    """EPIPE, as Python raises it (BrokenPipeError) or as polars does (OSError, os error 32)."""
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE or "os error 32" in str(exc)


app = typer.Typer(
    name="actcli",
    cls=Boundary,
    help="Evaluate, differentiate, plot and compare neural-network activation functions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ---------------------------------------------------------------------------------- shared options

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format. auto: a table on a terminal, CSV in a pipe or file.",
        case_sensitive=False,
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")
]


def emit(data: Table, fmt: OutputFormat, *, no_color: bool = False) -> None:
    """Write a command's result to stdout in the resolved format."""
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved is OutputFormat.table:
        from actcli import render

        render.table(data, render.console(sys.stdout, no_color=no_color))
    else:
        from actcli import formats

        formats.write(data, resolved, sys.stdout)


# ---------------------------------------------------------------------------------- commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Evaluate, differentiate, plot and compare neural-network activation functions.

    Examples:

      actcli list --search relu

      actcli eval gelu -2 -1 0 1 2
    """


@app.command("list")
def list_cmd(
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Only names, aliases or formulas containing TEXT."),
    ] = None,
    fmt: FormatOption = OutputFormat.auto,
    no_color: NoColorOption = False,
) -> None:
    """List every activation: name, aliases, parameters, formula, range, framework names.

    Examples:

      actcli list

      actcli list --search shrink --format csv
    """
    from actcli.listing import catalog_table

    emit(catalog_table(search), fmt, no_color=no_color)


# ---------------------------------------------------------------------------------- eval / diff


class Dtype(str, enum.Enum):
    float64 = "float64"
    float32 = "float32"
    float16 = "float16"
    bfloat16 = "bfloat16"


class InfPolicy(str, enum.Enum):
    nan = "nan"
    limit = "limit"


NameArg = Annotated[
    str,
    typer.Argument(
        help="Activation name or alias, optionally with parameters: leaky_relu:negative_slope=0.2",
        show_default=False,
    ),
]
ValuesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Numbers (negative ones too). '-' reads standard input.", show_default=False
    ),
]
RangeOption = Annotated[
    tuple[float, float] | None,
    typer.Option("--range", "-r", metavar="A B", help="Evaluate on linspace(A, B, STEPS)."),
]
StepsOption = Annotated[
    int, typer.Option("--steps", "-n", help="Number of points of --range (1 to 100000000).")
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", metavar="K=V", help="A parameter (repeatable)."),
]
DialectOption = Annotated[
    str | None,
    typer.Option(
        "--dialect", help="Framework defaults and kink rules: torch, keras, keras2, jax, tf."
    ),
]
DtypeOption = Annotated[
    Dtype, typer.Option("--dtype", help="Round results once to this type.", case_sensitive=False)
]
PrecisionOption = Annotated[
    int | None,
    typer.Option(
        "--precision", min=1, max=17, help="Significant digits (default: shortest exact)."
    ),
]
NoHeaderOption = Annotated[
    bool,
    typer.Option(
        "--no-header", help="No header row in the output; delimited input has none either."
    ),
]
InputOption = Annotated[
    Path | None, typer.Option("--input", "-i", metavar="FILE", help="Read numbers from FILE.")
]
ColumnOption = Annotated[
    str | None,
    typer.Option(
        "--column", "-c", metavar="C", help="Column of CSV/TSV input: name or 1-based index."
    ),
]
TemperatureOption = Annotated[
    float | None, typer.Option("--temperature", help="softmax family: divide the logits by T.")
]
InfPolicyOption = Annotated[
    InfPolicy | None,
    typer.Option("--inf-policy", help="softmax family: rows with ±inf give nan or their limit."),
]


def _activation(
    name: str,
    params: list[str] | None,
    dialect: str | None,
    temperature: float | None = None,
    inf_policy: InfPolicy | None = None,
) -> Activation:
    """Resolve NAME with --param, --dialect and the softmax shortcuts; report alias notes."""
    import actcli
    from actcli.catalog.registry import parse_spec

    extra: dict[str, object] = {}
    for item in params or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        extra[key.strip()] = value.strip()
    if temperature is not None:
        extra["temperature"] = temperature
    if inf_policy is not None:
        extra["inf_policy"] = inf_policy.value
    act = actcli.get(name, dialect=dialect, **extra)
    if (temperature is not None or inf_policy is not None) and act.kind != "vector":
        raise UsageError(
            f"--temperature and --inf-policy are for the softmax family, not {act.name}"
        )
    _ = parse_spec  # the spec grammar is documented in actcli.get
    for note in act.notes:
        _message(f"note: {note}")
    return act


def _message(text: str) -> None:
    from actcli import render

    render.note(text, render.console(sys.stderr))


def _input_blocks(
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int,
    input_file: Path | None,
    column: str | None,
    header: bool,
) -> Iterator[np.ndarray]:
    """The input, by the contract's precedence: VALUES, --range, --input FILE, stdin."""
    from actcli import reading

    given = [values and values != ["-"], range_ is not None, input_file is not None]
    if sum(map(bool, given)) > 1:
        raise UsageError("give the input one way: VALUES, --range A B or --input FILE")
    if values and values != ["-"]:
        yield reading.parse_values(values)
        return
    if range_ is not None:
        if not 1 <= steps <= 100_000_000:
            raise UsageError(f"--steps must be between 1 and 100000000, got {steps}")
        a, b = range_
        if not (math.isfinite(a) and math.isfinite(b)):
            raise UsageError("--range needs two finite numbers")
        yield np.linspace(a, b, steps)
        return
    if input_file is not None:
        try:
            stream = input_file.open("rb")
        except OSError as exc:
            raise DataError(f"cannot read {input_file}: {exc.strerror or exc}") from None
        with stream:
            yield from reading.Reader(stream, column, header)
        return
    if values == ["-"] or not sys.stdin.isatty():
        yield from reading.Reader(sys.stdin.buffer, column, header)
        return
    raise UsageError("no input: give VALUES, --range A B, --input FILE, or pipe numbers in")


def _evaluate_command(
    *,
    name: str,
    order: int,
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int,
    params: list[str] | None,
    dialect: str | None,
    dtype: Dtype,
    fmt: OutputFormat,
    precision: int | None,
    no_header: bool,
    input_file: Path | None,
    column: str | None,
    temperature: float | None,
    inf_policy: InfPolicy | None,
    no_color: bool,
) -> None:
    """eval (order 0) and diff (order 1 or 2; the Jacobian for vector activations)."""
    from actcli import evaluation, formats

    act = _activation(name, params, dialect, temperature, inf_policy)
    blocks = _input_blocks(values, range_, steps, input_file, column, not no_header)
    report = evaluation.Report(dtype=dtype.value)
    if act.kind == "vector":
        columns, block = evaluation.vector(act, blocks, order > 0, dtype.value, report)
        quantity = "jacobian" if order else "value"
        results: Iterable[list[np.ndarray]] = [block]
    else:
        columns = ["x", evaluation.column_name(act, order)]
        quantity = "value"
        results = evaluation.elementwise(act, blocks, order, dtype.value, report)
    meta = evaluation.describe(act, order, dtype.value, quantity)
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl):
        writer = formats.BlockWriter(
            columns, resolved, sys.stdout, header=not no_header, precision=precision
        )
        for block in results:
            writer.write(block)
        writer.finish()
    else:
        rows = [row for block in results for row in zip(*(c.tolist() for c in block), strict=True)]
        table = Table(columns, [list(r) for r in rows], title=_title(meta), meta=meta)
        if resolved is OutputFormat.json:
            formats.write(table, resolved, sys.stdout, precision=precision)
        else:
            from actcli import render

            render.table(
                table,
                render.console(sys.stdout, no_color=no_color),
                precision=precision,
                header=not no_header,
            )
    for warning in report.warnings():
        _message(f"warning: {warning}")


def _title(meta: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in meta["params"].items())
    what = {"value": "", "derivative": "d/dx ", "second derivative": "d²/dx² ", "jacobian": "∂/∂x "}
    head = f"{what[meta['quantity']]}{meta['activation']}" + (f"({params})" if params else "")
    return f"{head} · dialect {meta['dialect']} · {meta['dtype']}"


EVAL_HELP = """Evaluate an activation at VALUES, on --range A B, or on numbers from --input / stdin.

Output: a table on a terminal, CSV (x,NAME) in a pipe; --format csv|tsv|json|jsonl|table.
Vector activations (softmax, glu, ...) take one vector (the values, or a single column) or
one vector per row of a CSV with several columns.

Examples:

  actcli eval relu -2 -1 0 1

  actcli eval softmax 1 2 3

  actcli eval gelu --range -4 4 --steps 9 --dialect jax

  seq -5 0.5 5 | actcli eval gelu | column -s, -t

  actcli eval leaky_relu:negative_slope=0.2 --input data.csv --column x --format json
"""

DIFF_HELP = """Differentiate an activation: f′ (--order 1, the default) or f″ (--order 2).

At kinks the derivative follows the dialect's convention (relu′(0) = 0; leaky_relu′(0) is
the slope in torch and 1 in jax). For vector activations the output is the Jacobian of one
vector: one row per output, one column per input. CSV header: x,dNAME (d2NAME for f″).

Examples:

  actcli diff relu -1 0 1

  actcli diff leaky_relu 0 --dialect jax

  actcli diff silu --range -3 3 --order 2

  actcli diff softmax 1 2 3
"""


class NumbersCommand(TyperCommand):
    """A command whose positional arguments may be negative numbers: -2, -1e-3, -inf.

    Such a token is protected from the option parser by a leading space (float() ignores it)
    unless it directly follows an option, whose value it then is (--range -5 5).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        protected = []
        previous = ""
        for token in args:
            if token.startswith("-") and _is_number(token) and not _is_option(previous):
                token = " " + token
            protected.append(token)
            previous = token
        return super().parse_args(ctx, protected)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _is_option(token: str) -> bool:
    return token.startswith("-") and not _is_number(token) and token not in _FLAGS


_FLAGS = {"--no-header", "--no-color", "--help", "-h"}


@app.command("eval", help=EVAL_HELP, cls=NumbersCommand)
def eval_cmd(
    name: NameArg,
    values: ValuesArg = None,
    range_: RangeOption = None,
    steps: StepsOption = 11,
    params: ParamOption = None,
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
) -> None:
    _evaluate_command(order=0, **locals())  # the same options as diff, by name


@app.command("diff", help=DIFF_HELP, cls=NumbersCommand)
def diff_cmd(
    name: NameArg,
    values: ValuesArg = None,
    order: Annotated[int, typer.Option("--order", min=1, max=2, help="1: f′, 2: f″.")] = 1,
    range_: RangeOption = None,
    steps: StepsOption = 11,
    params: ParamOption = None,
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
) -> None:
    _evaluate_command(**locals())


def main() -> None:
    """Entry point of ``python -m actcli``."""
    app()
