"""``actcli check``: values computed elsewhere against actcli's reference, in ULP."""

from __future__ import annotations

import itertools
import math
import shlex
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actcli import inputs
from actcli.cli import figures, output, specs
from actcli.cli.boundary import closed_pipe, silence_stdout
from actcli.cli.options import (
    DerivativeOption,
    DialectOption,
    DpiOption,
    Dtype,
    DtypeOption,
    FontOption,
    FormatOption,
    JobsOption,
    NameArg,
    NoColorOption,
    OutputOption,
    ParamOption,
    PrecisionOption,
    SchedulerOption,
    SizeOption,
    StyleOption,
    TitleOption,
)
from actcli.errors import CheckFailed, DataError, UsageError
from actcli.formats import STREAMING, OutputFormat

if TYPE_CHECKING:
    from actcli.check import Report

FileArg = Annotated[
    str,
    typer.Argument(
        help="CSV/TSV/whitespace of x,y, a .npy (n×k) or .npz (x, y); - for standard input.",
        show_default=False,
    ),
]
XOption = Annotated[
    str | None,
    typer.Option(
        "--x",
        metavar="COL",
        help="The column of x: header name or 1-based index (an array's name in an .npz). "
        "Default: the column named x, else the first.",
    ),
]
YOption = Annotated[
    str | None,
    typer.Option(
        "--y",
        metavar="COL",
        help="The column of the values checked. Default: the column named y, else the second.",
    ),
]
TolOption = Annotated[
    float | None,
    typer.Option(
        "--tol",
        help="Largest acceptable error, in ULP. Default: 4, or the --budget's max_ulp.",
        show_default=False,
    ),
]
AtolOption = Annotated[
    float | None,
    typer.Option("--atol", metavar="A", help="Also pass rows with |y − ref| ≤ A + R·|ref|."),
]
RtolOption = Annotated[
    float | None, typer.Option("--rtol", metavar="R", help="The R of --atol (numpy allclose).")
]
BandsOption = Annotated[
    str | None,
    typer.Option(
        "--bands",
        metavar="E1,E2,...",
        help="Band edges in x, ascending (--bands=-6,-5,-4). Default: by sign and binade of |x|.",
    ),
]
DazOption = Annotated[
    bool,
    typer.Option(
        "--daz",
        help="The kernel's hardware reads subnormal inputs (of --dtype) as ±0: so does the "
        "reference.",
    ),
]
FtzOption = Annotated[
    bool,
    typer.Option(
        "--ftz",
        help="The kernel's hardware writes subnormal results (of --dtype) as ±0: so does the "
        "reference.",
    ),
]
BudgetOption = Annotated[
    str | None,
    typer.Option(
        "--budget",
        metavar="FILE",
        help="Judge the run by its entry in this TOML budget file ([NAME.DTYPE.value] "
        "max_ulp, p99_ulp): max_ulp is the tolerance, and the 99th percentile must not exceed "
        "p99_ulp.",
    ),
]
WriteBudgetOption = Annotated[
    str | None,
    typer.Option(
        "--write-budget",
        metavar="FILE",
        help="Write this run's max and p99 ULP times --margin into a TOML budget file (other "
        "entries kept), whatever the verdict.",
    ),
]
MarginOption = Annotated[
    float | None,
    typer.Option(
        "--margin",
        metavar="M",
        help="The factor --write-budget applies (>= 1). Default: 1.25.",
        show_default=False,
    ),
]


def _rows(file: str, x_column: str | None, y_column: str | None) -> Any:
    """FILE as check reads it: on a terminal, its passes with a progress bar on stderr."""
    from actcli.cli import progress

    if not progress.stderr_is_terminal():
        return file
    stdin, _ = inputs.standard_input()
    return progress.Passes(inputs.pair_blocks(file, x_column, y_column, stdin))


def check_command(
    name: NameArg,
    file: FileArg,
    derivative: DerivativeOption = 0,
    dtype: DtypeOption = Dtype.float64,
    tol: TolOption = None,
    atol: AtolOption = None,
    rtol: RtolOption = None,
    bands: BandsOption = None,
    daz: DazOption = False,
    ftz: FtzOption = False,
    budget: BudgetOption = None,
    write_budget: WriteBudgetOption = None,
    margin: MarginOption = None,
    x_column: XOption = None,
    y_column: YOption = None,
    figure: OutputOption = None,
    size: SizeOption = None,
    dpi: DpiOption = None,
    style: StyleOption = None,
    font: FontOption = None,
    figure_title: TitleOption = None,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Check values computed elsewhere against the reference, in ULP.

    FILE holds x and y: CSV/TSV/whitespace (a header is optional; --x and --y pick columns),
    a .npy (n×k) or .npz (arrays x and y); - reads stdin. With --dtype D, x and y are rounded
    to D (as a kernel receives and returns them) and errors are in ULP of D.

    A row passes within --tol ULP, or, with --atol/--rtol, when |y − ref| ≤ atol + rtol·|ref|
    (numpy allclose; either test suffices). Prints, by band of x, the rows, the max, median
    and 99th-percentile ULP, the max relative and absolute error; the worst inputs; and the
    findings: non-monotonic steps, wrong signs, flush to zero, inf/nan, and the values at ±0,
    ±inf and nan; and the special values' verdict (the sign of zero, ±inf, nan), apart from
    the ULP statistics. Exit status 3 when a row fails, a special value is wrong, or the run
    is over its --budget. -o FILE draws the errors (.png/.svg/.pdf; --size, --dpi, --style,
    --font and --title as for plot).
    --format json is the whole report; csv, tsv and jsonl every row with its error.

    --daz / --ftz model a kernel's hardware in the reference: subnormal inputs (of --dtype)
    read as ±0, subnormal results written as ±0. Without them, the findings name the failing
    rows they would pass.

    --budget FILE judges the run by its entry in a TOML file ([gelu.float32.value] with
    max_ulp and p99_ulp; derivative / second_derivative for -d / -dd); --write-budget FILE
    writes the measured max and p99 ULP times --margin (1.25) there, keeping other entries.

    --jobs N tallies runs of rows in N processes (default: every core; a check of under a
    million rows stays in one), --scheduler tcp://HOST:PORT on a Dask cluster's workers: the
    report is the same.

    Examples:

      actcli check gelu torch_gelu.csv

      actcli check gelu kernel.npy --dtype bfloat16 --tol 1 -o errors.png

      actcli check gelu k.csv --x input --y out --dtype float32 --rtol 1e-3

      actcli diff silu --range -8 8 | actcli check silu - -d --bands=-4,0,4

      actcli check elu jax_elu.npy --dtype float32 --daz

      actcli check gelu k.npy --dtype float32 --write-budget budgets.toml

      actcli check gelu k.npy --dtype float32 --budget budgets.toml

      actcli eval gelu --all float32 --dtype float32 -j 2 -o g.npy && actcli check gelu g.npy --dtype float32 -j 2
    """
    from actcli import check

    act = specs.activation(name, params, dialect)
    edges = _settings(tol, atol, rtol, bands)
    if margin is not None and write_budget is None:
        raise UsageError("--margin: only with --write-budget")
    if write_budget is not None:
        from actcli.check.budget import checked_margin

        checked_margin(margin)  # before the work, not after it
    look = figures.beside_a_report(
        figure, "8x4.8", size=size, dpi=dpi, style=style, font=font, title=figure_title
    )
    report = check.check(
        act,
        _rows(file, x_column, y_column),
        dtype=dtype.value,
        order=derivative,
        tol=tol,
        atol=atol,
        rtol=rtol,
        bands=edges,
        x_column=x_column,
        y_column=y_column,
        daz=daz,
        ftz=ftz,
        budget=budget,
        jobs=jobs,
        scheduler=scheduler,
    )
    if write_budget is not None:
        from actcli.check import budget as budgeting

        command = shlex.join(["actcli", *sys.argv[1:]])
        written = budgeting.record(write_budget, report, command, margin)
        output.note(
            f"note: wrote [{written.name}] max_ulp = {written.max_ulp:g}, p99_ulp = "
            f"{written.p99_ulp:g} to {write_budget}"
        )
    if figure is not None and look is not None:
        from actcli.check.figure import figure as error_figure

        title = report.title if figure_title is None else figure_title
        figures.save(error_figure(report, title=title, look=look), figure, [act], title, look)
        output.note(f"note: wrote {figure}")
    _print(report, fmt, precision, no_color)
    if not report.passed:
        if report.narrower_dtype:
            output.note(
                f"note: every given value is a {report.narrower_dtype} number, and they pass "
                f"as one: --dtype {report.narrower_dtype}"
            )
        raise CheckFailed(_failure(report))
    if report.budget is not None and report.budget.beaten and write_budget is None:
        output.note("note: the run beats its budget: --write-budget would tighten it")


def _settings(
    tol: float | None, atol: float | None, rtol: float | None, bands: str | None
) -> list[float] | None:
    """The tolerances checked (before any work); the band edges."""
    for flag, value in (("--tol", tol), ("--atol", atol), ("--rtol", rtol)):
        if value is not None and not (value >= 0 and math.isfinite(value)):
            raise UsageError(f"{flag} must be a finite number >= 0, got {value}")
    if bands is None:
        return None
    edges = []
    for text in bands.split(","):
        try:
            edges.append(inputs.parse_number(text.strip(), "--bands"))
        except DataError:
            raise UsageError(f"--bands: {text.strip()!r} is not a number") from None
    if not all(math.isfinite(e) for e in edges) or any(
        b <= a for a, b in itertools.pairwise(edges)
    ):
        raise UsageError(
            f"--bands {bands}: expected finite edges in ascending order, e.g. -6,-5,-4"
        )
    return edges


def _failure(report: Report) -> str:
    if report.budget is not None and not report.budget.passed:
        return report.budget.line
    if report.failed == 0 and report.special_values is not None:
        return report.special_values.line
    if report.atol is None and report.rtol is None:
        return f"max error {report.max_ulp:.3g} ULP exceeds --tol {report.tolerance:g}"
    return (
        f"{report.failed:,} of {report.rows:,} rows fail both --tol {report.tolerance:g} and "
        f"the allclose test (--atol {report.atol or 0:g} --rtol {report.rtol or 0:g})"
    )


def _print(report: Report, fmt: OutputFormat, precision: int | None, no_color: bool) -> None:
    """The summary by default, in a pipe too; every row only when asked for (csv, tsv, jsonl)."""
    resolved = OutputFormat.table if fmt is OutputFormat.auto else fmt
    try:
        if resolved in STREAMING:
            output.emit_blocks(report.row_table(), report.blocks(), resolved, precision=precision)
        elif resolved is OutputFormat.json:
            output.write_json(report.document())
        else:
            for table in report.tables(precision):
                output.emit(table, resolved, precision=precision, no_color=no_color)
            sys.stdout.write(report.text())
            sys.stdout.flush()
    except OSError as exc:  # `| head` may stop reading: the verdict still decides
        if not closed_pipe(exc):
            raise
        silence_stdout()
