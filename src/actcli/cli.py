"""The ``actcli`` command line (the only module importing typer).

Every command parses its options, calls one core function and hands the result to a writer.
Errors are actcli exceptions, turned into one stderr line and an exit code in one place:
:class:`Boundary` (0 ok, 1 data or I/O error, 2 usage error, 130 Ctrl-C). ``ACTCLI_DEBUG=1``
lets them through with their traceback.
"""

from __future__ import annotations

import copy
import enum
import errno
import itertools
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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
        except OSError as exc:  # writing --help or --version: the command's own are handled
            _leave_output(exc)
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
            _fail(str(exc), int(exc.exit_status))
        except KeyboardInterrupt:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            raise typer.Exit(130) from None
        except OSError as exc:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            _leave_output(exc)
        except MemoryError:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            _fail("out of memory: ask for fewer values (--steps) or stream them through stdin")
        except Exception as exc:
            # typer's and click's own exits and usage errors pass; anything else is a bug, and
            # still gets one line rather than a traceback
            if os.environ.get("ACTCLI_DEBUG") or hasattr(exc, "exit_code"):
                raise
            _fail(f"internal error ({type(exc).__name__}: {exc}); ACTCLI_DEBUG=1 shows where")


def _leave_output(exc: OSError) -> NoReturn:
    """A failed write: one line and exit 1, or, when the reader went away (| head), quietly 0."""
    if not _closed_pipe(exc):
        _fail(exc.strerror or str(exc))
    # keep the final flush of stdout from meeting the same closed pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _fail(message: str, code: int = 1) -> NoReturn:
    from actcli import render

    render.error(message, render.console(sys.stderr))
    sys.exit(code)  # SystemExit, not typer.Exit: it must also work outside click's handling


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


def emit(
    data: Table,
    fmt: OutputFormat,
    *,
    header: bool = True,
    precision: int | None = None,
    no_color: bool = False,
) -> None:
    """Write a whole table to stdout in the resolved format."""
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved is OutputFormat.table:
        from actcli import render

        console = render.console(sys.stdout, no_color=no_color)
        render.table(data, console, precision=precision, header=header)
    else:
        from actcli import formats

        formats.write(data, resolved, sys.stdout, header=header, precision=precision)


# the largest table --format auto draws on a terminal; beyond, CSV (a box table of a million
# rows takes minutes and gigabytes, and columns past a dozen are squeezed to nothing)
TABLE_CELLS = 20_000
TABLE_COLUMNS = 12


def emit_blocks(
    columns: list[str],
    blocks: Iterable[list[np.ndarray]],
    fmt: OutputFormat,
    title: str,
    meta: dict[str, Any],
    no_header: bool,
    precision: int | None,
    no_color: bool,
) -> None:
    """Stream column blocks (CSV, TSV, JSON Lines) or gather them into a table (table, JSON).

    A terminal gets a table (--format auto) up to TABLE_CELLS cells and TABLE_COLUMNS
    columns, and CSV beyond, with a note.
    """
    from actcli import formats

    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved is OutputFormat.table and fmt is OutputFormat.auto:
        too_big = f"{len(columns)} columns" if len(columns) > TABLE_COLUMNS else None
        if too_big is None:  # look ahead as far as the largest table, keeping what was read
            most = TABLE_CELLS // len(columns)
            blocks = iter(blocks)
            head, count = [], 0
            while count <= most and (block := next(blocks, None)) is not None:
                head.append(block)
                count += len(block[0]) if block else 0
            blocks = itertools.chain(head, blocks)
            too_big = f"over {most:,} rows" if count > most else None
        if too_big:
            _message(f"note: {too_big}: CSV, not a table (--format table insists)")
            resolved = OutputFormat.csv
    if resolved in formats.STREAMING:
        writer = formats.BlockWriter(
            columns, resolved, sys.stdout, header=not no_header, precision=precision
        )
        for block in blocks:
            writer.write(block)
        writer.finish()
        return
    rows = [list(row) for block in blocks for row in formats.rows(block)]
    table = Table(columns, rows, title=title, meta=meta)
    emit(table, resolved, header=not no_header, precision=precision, no_color=no_color)


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
    int | None,
    typer.Option("--steps", "-n", help="Points of --range (default 11; 1 to 100000000)."),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="K=V",
        help="A parameter (repeatable); with several NAMEs, each one that has it.",
    ),
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

    extra: dict[str, object] = dict(_param_items(params))
    if temperature is not None:
        extra["temperature"] = temperature
    if inf_policy is not None:
        extra["inf_policy"] = inf_policy.value
    act = actcli.get(name, dialect=dialect, **extra)  # a parameter NAME lacks is an error there
    for note in act.notes:
        _message(f"note: {note}")
    return act


def _message(text: str) -> None:
    from actcli import render

    render.note(text, render.console(sys.stderr))


def _input_blocks(
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int | None,
    input_file: Path | None,
    column: str | None,
    lost: Counter[str],
) -> Iterator[np.ndarray]:
    """The input, by the contract's precedence: VALUES, --range, --input FILE, stdin.

    Giving more than one source, or an option that the chosen source ignores, is an error:
    nothing the user asked for is silently dropped. ``lost`` counts the numbers written
    beyond float64's range (see reading.out_of_range).
    """
    from actcli import reading

    stdin = bool(values) and "-" in (values or [])
    if stdin and values != ["-"]:
        raise UsageError("'-' reads standard input: give numbers or '-', not both")
    numbers = bool(values) and not stdin
    if sum((numbers, range_ is not None, input_file is not None, stdin)) > 1:
        raise UsageError("give the input one way: VALUES, --range A B, --input FILE or -")
    if steps is not None and range_ is None:
        raise UsageError("--steps goes with --range")
    if column is not None and (numbers or range_ is not None):
        raise UsageError("--column picks a column of --input or standard input")
    if numbers:
        yield reading.parse_values(values or [], lost)
    elif range_ is not None:
        steps = 11 if steps is None else steps
        if not 1 <= steps <= 100_000_000:
            raise UsageError(f"--steps must be between 1 and 100000000, got {steps}")
        a, b = range_
        if not (math.isfinite(a) and math.isfinite(b)):
            raise UsageError("--range needs two finite numbers")
        from actcli.curves import linspace_blocks

        yield from linspace_blocks(a, b, steps)
    elif input_file is not None:
        try:
            stream = input_file.open("rb")
        except OSError as exc:
            raise DataError(f"cannot read {input_file}: {exc.strerror or exc}") from None
        reader = reading.Reader(stream, column, lost)
        yield from reading.read_ahead(reading.closing(stream, reader))
    elif stdin or not sys.stdin.isatty():
        yield from reading.read_ahead(reading.Reader(sys.stdin.buffer, column, lost))
    else:
        raise UsageError("no input: give VALUES, --range A B, --input FILE, or pipe numbers in")


def _evaluate_command(
    *,
    name: str,
    order: int,
    values: list[str] | None,
    range_: tuple[float, float] | None,
    steps: int | None,
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
    from actcli import evaluation, reading

    act = _activation(name, params, dialect, temperature, inf_policy)
    if act.kind == "vector" and order == 2:
        raise UsageError(f"diff {act.name}: vector activations have a Jacobian, not --order 2")
    lost: Counter[str] = Counter()
    blocks = _input_blocks(values, range_, steps, input_file, column, lost)
    report = evaluation.Report(dtype=dtype.value)
    if act.kind == "vector":
        columns, block = evaluation.vector(act, blocks, order > 0, dtype.value, report)
        results: Iterable[list[np.ndarray]] = [block]
    else:
        columns = ["x", evaluation.column_name(act, order)]
        # three stages on their own threads: parse, evaluate, write (polars and numpy work
        # outside the GIL, so they overlap)
        results = reading.read_ahead(
            evaluation.elementwise(act, blocks, order, dtype.value, report)
        )
    meta = evaluation.describe(act, order, dtype.value, act.kind == "vector" and order > 0)
    emit_blocks(columns, results, fmt, _title(meta), meta, no_header, precision, no_color)
    report.input_overflow += lost["over"]  # written beyond float64, read as ±inf or 0
    report.input_flushed += lost["under"]
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

    Such a token is protected from the option parser by a leading space (float() ignores it),
    unless it is the value of the option just before it (``--range -5 5``, ``--temperature
    -1``); which options take values, and how many, comes from the command's own parameters.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        arity = {
            name: param.nargs
            for param in self.params
            if getattr(param, "is_flag", True) is False and not getattr(param, "count", False)
            for name in (*param.opts, *param.secondary_opts)
            if name.startswith("-")
        }
        protected, owed = [], 0
        for token in args:
            if owed:
                owed -= 1
            elif token in arity:
                owed = arity[token]
            elif token.startswith("-") and _is_number(token):
                token = " " + token
            protected.append(token)
        return super().parse_args(ctx, protected)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


@app.command("eval", help=EVAL_HELP, cls=NumbersCommand)
def eval_cmd(
    name: NameArg,
    values: ValuesArg = None,
    range_: RangeOption = None,
    steps: StepsOption = None,
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
    steps: StepsOption = None,
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


# ---------------------------------------------------------------------------------- plot / compare


class Style(str, enum.Enum):
    light = "light"
    dark = "dark"


NamesArg = Annotated[
    list[str], typer.Argument(help="Activations (names, aliases, name:k=v).", show_default=False)
]
PlotRangeOption = Annotated[
    tuple[float, float], typer.Option("--range", "-r", metavar="A B", help="The x interval.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Figure file: .png, .svg or .pdf."),
]
DpiOption = Annotated[
    int | None, typer.Option("--dpi", help="Pixels per inch, 10 to 1200 (default 150).")
]
SizeOption = Annotated[
    str | None, typer.Option("--size", metavar="WxH", help="Figure size in inches (1 to 50).")
]
TitleOption = Annotated[str | None, typer.Option("--title", help="Figure title.")]
StyleOption = Annotated[
    Style | None, typer.Option("--style", help="light (default) or dark.", case_sensitive=False)
]
MAX_PIXELS = 40_000_000  # a 7x4.5-inch figure at 1200 dpi is 45 MP: beyond, say so up front


def _figure_options(
    size: str | None, dpi: int | None, style: Style | None, default_size: str
) -> tuple[tuple[float, float], int, str]:
    """--size, --dpi and --style, checked together (the pixel count is bounded)."""
    w, h = _size(size or default_size)
    dots = 150 if dpi is None else dpi
    if not 10 <= dots <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, got {dots}")
    if w * h * dots * dots > MAX_PIXELS:
        raise UsageError(
            f"{w:g}x{h:g} inches at {dots} dpi is {w * h * dots * dots / 1e6:.0f} megapixels "
            f"(at most {MAX_PIXELS // 1_000_000}): lower --dpi or --size"
        )
    return (w, h), dots, (style or Style.light).value


def _param_items(params: list[str] | None) -> dict[str, str]:
    """--param KEY=VALUE options, as a dict; a key given twice is an error, not the last one."""
    items: dict[str, str] = {}
    for item in params or []:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        if key == "dialect":
            raise UsageError("--param dialect=...: use --dialect (or NAME:dialect=... for one)")
        if key in items:
            raise UsageError(f"--param {key} given twice")
        items[key] = value.strip()
    return items


def _activations(
    names: list[str], params: list[str] | None, dialect: str | None
) -> list[Activation]:
    """Every NAME; with several, each --param goes to the names that have that parameter."""
    if len(names) == 1:
        return [_activation(names[0], params, dialect)]
    from actcli.catalog.registry import takes

    items = _param_items(params)
    takers = {key: {name for name in names if takes(name, key)} for key in items}
    for key, who in takers.items():
        if not who:
            raise UsageError(f"--param {key}: none of {', '.join(names)} has a parameter {key!r}")
    return [
        _activation(name, [f"{k}={v}" for k, v in items.items() if name in takers[k]], dialect)
        for name in names
    ]


def _size(text: str) -> tuple[float, float]:
    w, sep, h = text.lower().partition("x")
    try:
        size = (float(w), float(h))
    except ValueError:
        size = (0.0, 0.0)
    if not sep or not all(1 <= v <= 50 for v in size):
        raise UsageError(f"--size {text!r}: expected WxH in inches, each in [1, 50], e.g. 7x4.5")
    return size


def _labels(acts: list[Activation]) -> list[str]:
    """How each activation is named in legends and columns: its spec, and its dialect when
    the names compared do not all share one (gelu@torch, gelu@jax)."""
    if len({a.dialect for a in acts}) > 1:
        return [f"{a.spec}@{a.dialect}" for a in acts]
    return [a.spec for a in acts]


def _default_output(acts: list[Activation]) -> Path:
    specs = [a.spec for a in acts]
    stem = "_".join(re.sub(r"[^A-Za-z0-9.=-]+", "-", s) for s in specs)[:100]
    if any(re.search(r"[^A-Za-z0-9_.=:,-]", s) for s in specs):  # formulas: x*2 vs x+2
        import hashlib

        stem += "-" + hashlib.sha1("|".join(specs).encode()).hexdigest()[:8]
    return Path(stem + ".png")


def _provenance(acts: list[Activation], title: str) -> dict[str, str]:
    return {
        "title": title,
        "software": f"actcli {__version__}",
        "command": "actcli " + " ".join(sys.argv[1:]),
        "activations": "; ".join(a.spec for a in acts),
        "dialect": ", ".join(sorted({a.dialect for a in acts})),
    }


def _figure_title(acts: list[Activation], custom: str | None) -> str:
    if custom is not None:
        return custom
    from actcli.plotting import mathtext_or_none

    head = ", ".join(a.spec for a in acts)
    dialects = ", ".join(sorted({a.dialect for a in acts}))
    if len(acts) == 1:
        formula = mathtext_or_none(acts[0].latex)
        if formula:
            head = f"{head}:  {formula}"
    return f"{head}   ({dialects})"


PLOT_HELP = """Plot activations (and with -d their derivatives) to a file or the terminal.

Without -o, writes NAMES.png in the current directory and prints its path. Jumps are not
joined: the value at a kink (per dialect) is a filled dot, the one-sided limits open dots.

Examples:

  actcli plot relu --range -5 5

  actcli plot gelu silu mish -d -o smooth.svg

  actcli plot relu -dd --terminal

  actcli plot softmax --others 0,1 -o softmax.pdf
"""


@app.command("plot", help=PLOT_HELP, cls=NumbersCommand)
def plot_cmd(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: Annotated[int, typer.Option("--steps", "-n", help="Points on the x grid.")] = 1001,
    derivative: Annotated[
        int, typer.Option("--derivative", "-d", count=True, help="Add f′ (-dd: f″ too).")
    ] = 0,
    output: OutputOption = None,
    terminal: Annotated[bool, typer.Option("--terminal", help="Draw in the terminal.")] = False,
    ascii_only: Annotated[bool, typer.Option("--ascii", help="Terminal plot in ASCII.")] = False,
    width: Annotated[int | None, typer.Option("--width", min=10, max=1000)] = None,
    height: Annotated[int | None, typer.Option("--height", min=4, max=500)] = None,
    dpi: DpiOption = None,
    size: SizeOption = None,
    title: TitleOption = None,
    style: StyleOption = None,
    others: Annotated[
        str | None,
        typer.Option(
            "--others", help="Vector activations: the other inputs (default 0), e.g. 0,1."
        ),
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="Open a window (needs a display).")] = False,
    params: ParamOption = None,
    dialect: DialectOption = None,
    no_color: NoColorOption = False,
) -> None:
    from actcli import curves

    if derivative > 2:
        raise UsageError("-d at most twice (f′ and f″)")
    if terminal and (output is not None or show):
        raise UsageError("--terminal draws in the terminal: drop -o / --show")
    figure_only = {"--dpi": dpi, "--size": size, "--style": style}
    terminal_only = {"--width": width, "--height": height, "--ascii": ascii_only or None}
    ignored = [k for k, v in (figure_only if terminal else terminal_only).items() if v is not None]
    if ignored:
        where = "a figure file" if terminal else "--terminal"
        raise UsageError(f"{', '.join(ignored)}: only for {where}")
    acts = _activations(names, params, dialect)
    vectors = [a for a in acts if a.kind == "vector"]
    if others is not None and not vectors:
        raise UsageError("--others is for vector activations (softmax, ...)")
    if vectors and derivative > 1:
        raise UsageError(f"{vectors[0].name}: vector activations show f and ∂f/∂x (-d), not -dd")
    x = curves.grid(range_[0], range_[1], steps)
    extra = curves.parse_others(others or "0")
    labels = _labels(acts)
    drawn = [c for a, label in zip(acts, labels, strict=True)
             for c in curves.curves(a, x, derivative, extra, label)]  # fmt: skip
    if terminal:
        from actcli import render, termplot

        console = render.console(sys.stdout, no_color=no_color)
        encoding = getattr(sys.stdout, "encoding", None)
        text = termplot.render(
            drawn, x,
            width=width or max(console.width - 12, 20), height=height or 17,
            title=title if title is not None else ", ".join(labels),
            ascii_only=ascii_only or not termplot.can_draw_blocks(encoding),
            color=console.color_system is not None and not (no_color or console.no_color),
        )  # fmt: skip
        sys.stdout.write(text)
        return
    from actcli import plotting

    fig_title = _figure_title(acts, title)
    fig_size, dots, colours = _figure_options(size, dpi, style, "7x4.5")
    fig = plotting.figure(
        [plotting.Panel(drawn, x)], title=fig_title, style=colours, size=fig_size, dpi=dots
    )
    if show:
        plotting.show(fig)
        return
    path = output or _default_output(acts)
    plotting.save(fig, path, _provenance(acts, fig_title))
    typer.echo(str(path))


COMPARE_HELP = """Compare activations: their properties side by side, and how far apart they are.

Properties: range, minimum (value and location), monotonic, bounded, E[f(z)] for z ~ N(0,1),
smoothness, f(0), f′(0), where |f′| < 1e-3. Then the largest difference between each pair on
the grid (--metric abs|rel|ulp) and where it occurs. --format csv writes x,NAME1,NAME2,...;
-o FILE writes the overlay figure (--grid: one panel each with f and f′; --diff: a panel of
the differences from the first). A name may carry its own dialect: gelu:dialect=jax.

Examples:

  actcli compare gelu silu mish --range -4 4

  actcli compare gelu gelu:approximate=tanh --metric ulp

  actcli compare gelu:dialect=torch gelu:dialect=jax -o port_gap.png --diff

  actcli compare sigmoid hard_sigmoid --format csv > curves.csv
"""


class Metric(str, enum.Enum):
    abs = "abs"
    rel = "rel"
    ulp = "ulp"


@app.command("compare", help=COMPARE_HELP, cls=NumbersCommand)
def compare_cmd(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: Annotated[int, typer.Option("--steps", "-n", help="Points on the x grid.")] = 1001,
    metric: Annotated[Metric, typer.Option("--metric", help="abs, rel or ulp.")] = Metric.abs,
    output: OutputOption = None,
    grid_panels: Annotated[bool, typer.Option("--grid", help="One panel per activation.")] = False,
    diff_panel: Annotated[bool, typer.Option("--diff", help="Add a panel of differences.")] = False,
    dpi: DpiOption = None,
    size: SizeOption = None,
    title: TitleOption = None,
    style: StyleOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    params: ParamOption = None,
    dialect: DialectOption = None,
    no_color: NoColorOption = False,
) -> None:
    from actcli import comparison, curves, formats

    acts = _activations(names, params, dialect)
    comparison.check_elementwise(acts)
    x = curves.grid(range_[0], range_[1], steps)
    labels = _labels(acts)
    figure_only = {"--grid": grid_panels or None, "--diff": diff_panel or None, "--dpi": dpi,
                   "--size": size, "--style": style, "--title": title}  # fmt: skip
    ignored = [k for k, v in figure_only.items() if v is not None]
    if output is None and ignored:
        raise UsageError(f"{', '.join(ignored)}: only for the figure: give -o FILE")
    if output is not None:
        from actcli import plotting

        plotting.check_output(output)
        panels = _compare_panels(acts, labels, x, grid_panels, diff_panel)
        fig_title = title if title is not None else "compare: " + ", ".join(labels)
        columns = 2 if len(panels) > 2 else 1
        fig_size, dots, colours = _figure_options(size, dpi, style, "8x5")
        fig = plotting.figure(
            panels, title=fig_title, style=colours, size=fig_size, dpi=dots, columns=columns
        )
        plotting.save(fig, output, _provenance(acts, fig_title))
        _message(f"wrote {output}")
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl):
        writer = formats.BlockWriter(["x", *labels], resolved, sys.stdout, precision=precision)
        writer.write([x, *(np.asarray(a(x)) for a in acts)])
        writer.finish()
        return
    props = [comparison.properties(a, x) for a in acts]
    diffs = comparison.pairs(acts, x, metric.value)
    prop_table = Table(
        ["property", *labels],
        [[key, *(p[key] for p in props)] for key in props[0]],
        title=f"properties on [{x[0]:g}, {x[-1]:g}]",
    )
    diff_table = Table(
        ["a", "b", f"max {metric.value} difference", "at x"],
        [[d.a, d.b, d.value, float(f"{d.at:.6g}")] for d in diffs],
        title="differences",
    )
    if resolved is OutputFormat.json:
        import json

        doc = {
            "range": [float(x[0]), float(x[-1])],
            "steps": len(x),
            "metric": metric.value,
            "properties": dict(zip(labels, props, strict=True)),
            "differences": [d.__dict__ for d in diffs],
        }
        sys.stdout.write(json.dumps(formats.json_safe(doc), ensure_ascii=False) + "\n")
        return
    from actcli import render

    console = render.console(sys.stdout, no_color=no_color)
    render.table(prop_table, console, precision=precision)
    if diffs:
        render.table(diff_table, console, precision=precision)


def _compare_panels(
    acts: list[Activation], labels: list[str], x: np.ndarray, grid: bool, diff: bool
) -> list[Any]:
    from actcli import curves
    from actcli.plotting import Panel

    named = list(zip(acts, labels, strict=True))
    if grid:
        panels = [Panel(curves.curves(a, x, 1, [], label), x, title=label) for a, label in named]
    else:
        panels = [Panel([c for a, label in named for c in curves.curves(a, x, 0, [], label)], x)]
    if diff and len(acts) > 1:
        base = np.asarray(acts[0](x))
        lines = [
            curves.Curve(
                f"{label} − {labels[0]}", label, 0, [curves.Piece(x, np.asarray(a(x)) - base)]
            )
            for a, label in named[1:]
        ]
        panels.append(Panel(lines, x, title=f"difference from {labels[0]}"))
    return panels


# ---------------------------------------------------------------------------------- stats

STATS_HELP = """Gaussian statistics of an activation, and the initialisation gain it needs.

For z ~ N(MEAN, STD²): E[f], Var[f], E[f²], E[f′], E[f′²], the fraction of inputs with
f′(z) = 0 exactly (dead) and with |f′(z)| < EPS (saturated), and the variance-preserving
gain 1/√E[f²], beside torch.nn.init.calculate_gain's where torch has one. Integrals are
adaptive quadrature split at the kinks (≤ 1e-12 relative). --layers L propagates the
pre-activation variance and the gradient factor through L layers initialised with that gain
(mean-field recursion); -o FILE plots them.

Examples:

  actcli stats relu

  actcli stats tanh --layers 20

  actcli stats leaky_relu:negative_slope=0.2 --std 2 --format json

  actcli stats sigmoid --layers 30 --gain 1 -o sigmoid_layers.png
"""


@app.command("stats", help=STATS_HELP, cls=NumbersCommand)
def stats_cmd(
    name: NameArg,
    mean: Annotated[float, typer.Option("--mean", help="Mean of the Gaussian input.")] = 0.0,
    std: Annotated[float, typer.Option("--std", help="Its standard deviation (> 0).")] = 1.0,
    eps: Annotated[float, typer.Option("--eps", help="|f′| below this is saturated.")] = 1e-3,
    layers: Annotated[
        int | None, typer.Option("--layers", help="Propagate through this many layers.")
    ] = None,
    gain: Annotated[
        float | None, typer.Option("--gain", help="Weight gain for --layers (default 1/√E[f²]).")
    ] = None,
    output: OutputOption = None,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
) -> None:
    from actcli import stats

    act = _activation(name, params, dialect)
    if layers is None and (output is not None or gain is not None):
        raise UsageError("-o and --gain are for the --layers recursion: give --layers L")
    if layers is not None and mean != 0:
        raise UsageError("--layers follows zero-mean pre-activations: drop --mean")
    if output is not None:
        from actcli import plotting

        plotting.check_output(output)
    m = stats.moments(act, mean, std, eps)
    torch_gain = stats.TORCH_GAIN.get(act.name)
    rows: list[list[Any]] = [
        ["E[f(z)]", m.mean],
        ["Var[f(z)]", m.variance],
        ["E[f(z)²]", m.second],
        ["E[f′(z)]", m.d_mean],
        ["E[f′(z)²]", m.d_second],
        ["P(f′(z) = 0)  dead", m.dead],
        [f"P(|f′(z)| < {eps:g})  saturated", m.saturated],
        ["gain 1/√E[f²]", m.gain],
        ["torch calculate_gain", torch_gain(act) if torch_gain else "—"],
    ]
    note = stats.TORCH_GAIN_NOTES.get(act.name, "")
    title = f"{act.spec} for z ~ N({mean:g}, {std:g}²) · dialect {act.dialect}"
    meta: dict[str, Any] = {"activation": act.name, "spec": act.spec, "params": dict(act.params),
                            "dialect": act.dialect, "mean": mean, "std": std, "eps": eps,
                            "caption": note or None}  # fmt: skip
    if layers is None:
        emit(Table(["quantity", "value"], rows, title=title, meta=meta), fmt,
             precision=precision, no_color=no_color)  # fmt: skip
        return
    weight = m.gain if gain is None else gain
    if not 0 < weight <= 1e6:
        raise UsageError(f"--gain must be in (0, 1e6], got {weight:g}")
    trace = stats.propagate(act, layers, weight, q0=std * std)
    table = Table(
        ["layer", "q (pre-activation variance)", "E[f]", "χ = gain²·E[f′²]", "gradient factor"],
        [[t.index, t.q, t.mean, t.chi, t.gradient] for t in trace],
        title=f"{act.spec}: {layers} layers with gain {weight:.6g} · dialect {act.dialect}",
        meta={
            **meta,
            "gain": weight,
            "moments": dict(zip([r[0] for r in rows], [r[1] for r in rows], strict=True)),
        },
    )
    if output is not None:
        from actcli import curves, plotting

        x = np.array([float(t.index) for t in trace])
        lines = [
            curves.Curve("q (variance)", "q", 0, [curves.Piece(x, np.array([t.q for t in trace]))]),
            curves.Curve("gradient factor", "g", 0,
                         [curves.Piece(x, np.array([t.gradient for t in trace]))]),
        ]  # fmt: skip
        fig = plotting.figure([plotting.Panel(lines, x, xlabel="layer")], title=table.title)
        plotting.save(fig, output, _provenance([act], table.title))
        _message(f"wrote {output}")
    emit(table, fmt, precision=precision, no_color=no_color)


# ---------------------------------------------------------------------------------- info

INFO_HELP = """Explain an activation: formula and derivative (pretty-printed), parameters and
their defaults per framework, full-precision constants, computed properties (range, minimum,
monotonic, bounded, E[f(z)], smoothness, saturation), the derivative at each kink in every
dialect, known problems, and how to call it in PyTorch, Keras and JAX.

Examples:

  actcli info gelu

  actcli info leaky_relu --dialect keras

  actcli info selu --format json

  actcli info mish --latex
"""


@app.command("info", help=INFO_HELP, cls=NumbersCommand)
def info_cmd(
    name: NameArg,
    latex: Annotated[bool, typer.Option("--latex", help="Formulas as LaTeX.")] = False,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    no_color: NoColorOption = False,
) -> None:
    from actcli import explain, formats

    act = _activation(name, params, dialect)
    doc = explain.explain(act)
    doc["constants"] = dict(act.definition.constants)
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved is OutputFormat.json:
        import json

        sys.stdout.write(json.dumps(formats.json_safe(doc), ensure_ascii=False) + "\n")
        return
    if resolved is OutputFormat.table:
        from actcli import render

        render.info(doc, render.console(sys.stdout, no_color=no_color), latex=latex)
        return
    rows = [[section, key, value] for section, key, value in _flatten(doc)]
    emit(Table(["section", "key", "value"], rows), resolved, no_color=no_color)


def _flatten(doc: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """info as (section, key, value) rows, for CSV and TSV."""
    for key, value in doc.items():
        if isinstance(value, dict):
            for sub, item in value.items():
                yield key, str(sub), item if not isinstance(item, (dict, list)) else str(item)
        elif isinstance(value, list):
            for i, item in enumerate(value, start=1):
                yield key, str(i), item if not isinstance(item, (dict, list)) else str(item)
        else:
            yield "", key, value


# ---------------------------------------------------------------------------------- check

CHECK_HELP = """Check values computed elsewhere against actcli's reference, in ULP.

FILE is a CSV/TSV of x,y (a header is optional; - reads stdin): from a custom kernel, another
framework or a converted model. Prints the max and median ULP error (in --dtype) and the max
relative error, by region (x < −5, around 0, x > 5), and the worst inputs; exits 1 when the
max exceeds --tol ULP. -d checks f′ (diff output), -dd f″. --format csv writes every row with
its reference and error.

Examples:

  actcli check gelu torch_gelu.csv

  actcli diff silu --range -8 8 | actcli check silu - -d

  actcli check gelu:approximate=tanh kernel.csv --dtype float32 --tol 2 --dialect jax
"""


@app.command("check", help=CHECK_HELP, cls=NumbersCommand)
def check_cmd(
    name: NameArg,
    file: Annotated[str, typer.Argument(help="CSV/TSV of x,y; - for standard input.")],
    derivative: Annotated[
        int, typer.Option("--derivative", "-d", count=True, help="Check f′ (-dd: f″).")
    ] = 0,
    dtype: DtypeOption = Dtype.float64,
    tol: Annotated[float, typer.Option("--tol", help="Largest acceptable error, in ULP.")] = 4.0,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
) -> None:
    from actcli import checking, reading

    act = _activation(name, params, dialect)
    if act.kind != "elementwise":
        raise UsageError(f"check takes an elementwise activation; {act.name} is a vector one")
    if derivative > 2:
        raise UsageError("-d at most twice (f′ and f″)")
    if not (tol >= 0 and math.isfinite(tol)):
        raise UsageError(f"--tol must be a finite number >= 0, got {tol}")

    def read(stream: Any) -> tuple[list[np.ndarray], list[str] | None]:
        reader = reading.Reader(stream)
        parts = list(reader)
        return parts, (reader.layout.header if reader.layout else None)

    if file == "-":
        parts, header = read(sys.stdin.buffer)
    else:
        try:
            with open(file, "rb") as stream:
                parts, header = read(stream)
        except OSError as exc:
            raise DataError(f"cannot read {file}: {exc.strerror or exc}") from None
    widths = {p.shape[1] if p.ndim == 2 else 1 for p in parts}
    if widths and widths != {2}:
        raise DataError(f"{file}: expected two columns x,y, found {max(widths)}")
    data = np.vstack(parts) if parts else np.empty((0, 2))
    if header is not None and sorted(header) == ["x", "y"] and header[0] == "y":
        data = data[:, ::-1]  # a header names the columns: y,x is read as x,y
    report, reference, errors = checking.check(
        act, data[:, 0], data[:, 1], derivative, dtype.value, tol
    )
    quantity = ("", "′", "″")[derivative]
    title = (
        f"{act.spec}{quantity} · dialect {act.dialect}: max {report.max_ulp:.3g} ULP "
        f"({dtype.value}), median {report.median_ulp:.3g}, max relative {report.max_rel:.3g}"
    )
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl):
        emit_blocks(["x", "y", "reference", "ulp"], [[data[:, 0], data[:, 1], reference, errors]],
                    resolved, title, {}, False, precision, no_color)  # fmt: skip
    elif resolved is OutputFormat.json:
        import json

        from actcli import formats

        doc = {"activation": act.name, "spec": act.spec, "dialect": act.dialect,
               "derivative": derivative, **report.__dict__, "passed": report.passed}  # fmt: skip
        sys.stdout.write(json.dumps(formats.json_safe(doc), ensure_ascii=False) + "\n")
    else:
        regions = Table(["region", "rows", "max ULP", "median ULP"],
                        [list(r.values()) for r in report.regions], title=title)  # fmt: skip
        emit(regions, resolved, precision=precision, no_color=no_color)
        if report.worst:
            worst = Table(["x", "given", "reference", "ULP"],
                          [list(w.values()) for w in report.worst], title="worst inputs")  # fmt: skip
            emit(worst, resolved, precision=precision, no_color=no_color)
    if not report.passed:
        if report.narrower_dtype:
            _message(
                f"note: every given value is a {report.narrower_dtype} number, and they pass "
                f"as one: --dtype {report.narrower_dtype}"
            )
        _message(f"error: max error {report.max_ulp:.3g} ULP exceeds --tol {tol:g}")
        raise typer.Exit(1)


def main() -> NoReturn:
    """Entry point of ``actcli`` and ``python -m actcli``."""
    # typer turns every command's signature into click parameters on each run, a tenth of the
    # start-up: build only the command asked for (all of them for --help and for mistakes).
    asked = [c for c in app.registered_commands if sys.argv[1:2] == [c.name]]
    lean = copy.copy(app)
    lean.registered_commands = asked or app.registered_commands
    try:
        lean()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Flush what the command wrote and exit, without the interpreter's teardown.

    Freeing every module at exit takes 25 ms, 50 ms once polars is loaded (a tenth of a
    2M-line pipeline), and does nothing a finished command needs: nothing is registered with
    atexit, and a read-ahead thread still waiting for input (after ``| head`` or an error) has
    nothing left to deliver. A failed final flush is reported like any other write error; a
    reader that went away (``| head``) is not an error.
    """
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    status = code if isinstance(code, int) else 0
    try:
        if sys.stdout is not None:  # None: started with stdout closed
            sys.stdout.flush()
    except OSError as exc:
        # a failure the command met is reported already (its bytes are still buffered)
        if not _closed_pipe(exc) and status == 0 and sys.stderr is not None:
            sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
            status = 1
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except OSError:
        pass  # nowhere left to say it
    finally:
        os._exit(status)
