"""``actcli check``: values computed elsewhere against actcli's reference, in ULP."""

from __future__ import annotations

import functools
import itertools
import math
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from actcli import reading
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
    NameArg,
    NoColorOption,
    OutputOption,
    ParamOption,
    PrecisionOption,
    SizeOption,
    StyleOption,
    TitleOption,
)
from actcli.errors import CheckFailed, DataError, UsageError
from actcli.formats import STREAMING, OutputFormat, Table, format_number

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from actcli.catalog.binding import Activation
    from actcli.checking import Report
    from actcli.plotting import Look

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
TolOption = Annotated[float, typer.Option("--tol", help="Largest acceptable error, in ULP.")]
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


def check_command(
    name: NameArg,
    file: FileArg,
    derivative: DerivativeOption = 0,
    dtype: DtypeOption = Dtype.float64,
    tol: TolOption = 4.0,
    atol: AtolOption = None,
    rtol: RtolOption = None,
    bands: BandsOption = None,
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
) -> None:
    """Check values computed elsewhere against the reference, in ULP.

    FILE holds x and y: CSV/TSV/whitespace (a header is optional; --x and --y pick columns),
    a .npy (n×k) or .npz (arrays x and y); - reads stdin. With --dtype D, x and y are rounded
    to D (as a kernel receives and returns them) and errors are in ULP of D.

    A row passes within --tol ULP, or, with --atol/--rtol, when |y − ref| ≤ atol + rtol·|ref|
    (numpy allclose; either test suffices). Prints, by band of x, the rows, the max, median
    and 99th-percentile ULP, the max relative and absolute error; the worst inputs; and the
    findings: non-monotonic steps, wrong signs, flush to zero, inf/nan, and the values at ±0,
    ±inf and nan. Exit status 3 when a row fails. -o FILE draws the errors (.png/.svg/.pdf;
    --size, --dpi, --style, --font and --title as for plot).
    --format json is the whole report; csv, tsv and jsonl every row with its error.

    Examples:

      actcli check gelu torch_gelu.csv

      actcli check gelu kernel.npy --dtype bfloat16 --tol 1 -o errors.png

      actcli check gelu k.csv --x input --y out --dtype float32 --rtol 1e-3

      actcli diff silu --range -8 8 | actcli check silu - -d --bands=-4,0,4
    """
    from actcli import checking

    act = specs.activation(name, params, dialect)
    if act.kind != "elementwise":
        raise UsageError(f"check takes an elementwise activation; {act.name} is a vector one")
    edges = _settings(tol, atol, rtol, bands)
    look = figures.beside_a_report(
        figure, "8x4.8", size=size, dpi=dpi, style=style, font=font, title=figure_title
    )
    pairs = reading.pair_blocks(file, x_column, y_column, sys.stdin.buffer)
    report = checking.check_pairs(
        act, pairs, derivative, dtype.value, tol, atol=atol, rtol=rtol, edges=edges
    )
    title = _title(act, derivative, report)
    # every row again (x, y, reference, ULP error), read anew only when it is shown
    rows = functools.partial(checking.rows, act, pairs, derivative, dtype.value)
    if figure is not None and look is not None:
        _draw(figure, act, report, rows(), title if figure_title is None else figure_title, look)
    _print(report, title, rows, fmt, precision, no_color, act, derivative)
    if not report.passed:
        if report.narrower_dtype:
            output.note(
                f"note: every given value is a {report.narrower_dtype} number, and they pass "
                f"as one: --dtype {report.narrower_dtype}"
            )
        raise CheckFailed(_failure(report))


def _settings(
    tol: float, atol: float | None, rtol: float | None, bands: str | None
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
            edges.append(reading.parse_number(text.strip(), "--bands"))
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
    if report.atol is None and report.rtol is None:
        return f"max error {report.max_ulp:.3g} ULP exceeds --tol {report.tolerance:g}"
    return (
        f"{report.failed:,} of {report.rows:,} rows fail both --tol {report.tolerance:g} and "
        f"the allclose test (--atol {report.atol or 0:g} --rtol {report.rtol or 0:g})"
    )


# ---------------------------------------------------------------------------------- input


# ---------------------------------------------------------------------------------- output


def _print(
    report: Report,
    title: str,
    rows: Callable[[], Iterator[list[np.ndarray]]],
    fmt: OutputFormat,
    precision: int | None,
    no_color: bool,
    act: Activation,
    derivative: int,
) -> None:
    """The summary by default, in a pipe too; every row only when asked for (csv, tsv, jsonl)."""
    resolved = OutputFormat.table if fmt is OutputFormat.auto else fmt
    try:
        if resolved in STREAMING:
            table = Table(["x", "y", "reference", "ulp"], [], title=title, inputs=2)
            output.emit_blocks(table, rows(), resolved, precision=precision)
        elif resolved is OutputFormat.json:
            output.write_json(_document(act, derivative, report))
        else:
            _tables(report, title, resolved, precision, no_color)
    except OSError as exc:  # `| head` may stop reading: the verdict still decides
        if not closed_pipe(exc):
            raise
        silence_stdout()


def _title(act: Activation, derivative: int, report: Report) -> str:
    quantity = ("", "′", "″")[derivative]
    return (
        f"{act.spec}{quantity} · dialect {act.dialect}: max {report.max_ulp:.3g} ULP "
        f"({report.dtype}), median {report.median_ulp:.3g}, max rel {report.max_rel:.3g}"
    )


def _document(act: Activation, derivative: int, report: Report) -> dict[str, object]:
    return {
        "activation": act.name,
        "spec": act.spec,
        "dialect": act.dialect,
        "derivative": derivative,
        "dtype": report.dtype,
        "tolerance": report.tolerance,
        "atol": report.atol,
        "rtol": report.rtol,
        "passed": report.passed,
        "row_count": report.rows,
        "failed_count": report.failed,
        "max_ulp": report.max_ulp,
        "median_ulp": report.median_ulp,
        "p99_ulp": report.p99_ulp,
        "max_rel": report.max_rel,
        "max_abs": report.max_abs,
        "bands": report.bands,
        "worst": report.worst,
        "findings": report.findings,
        "narrower_dtype": report.narrower_dtype,
    }


# the significant digits of given and reference in the worst-inputs table, by dtype
DIGITS = {"float64": 12, "float32": 9, "float16": 5, "bfloat16": 4}


def _tables(
    report: Report, title: str, resolved: OutputFormat, precision: int | None, no_color: bool
) -> None:
    """The errors by band, the worst inputs, the findings and the verdict (80 columns)."""
    from actcli import checking

    digits = precision or 3

    def short(value: float, least: float | None = None) -> str:
        return _compact(value, digits, least)

    bands = Table(
        ["band of x", "rows", "max ULP", "median", "p99", "max rel", "max abs"],
        [
            [
                _band(b["lo"], b["hi"]),
                f"{b['count']:,}",
                short(b["max_ulp"], ULP_FLOOR),
                short(b["median_ulp"], ULP_FLOOR),
                short(b["p99_ulp"], ULP_FLOOR),
                short(b["max_rel"]),
                short(b["max_abs"]),
            ]
            for b in report.bands
        ],
        title=title,
    )
    output.emit(bands, resolved, precision=precision, no_color=no_color)
    if report.worst:
        given = precision or DIGITS[report.dtype]
        worst = Table(
            ["x", "given", "reference", "ULP"],
            [
                [
                    checking.spell(w["x"], report.dtype),
                    format_number(w["given"], given),
                    format_number(w["reference"], given),
                    short(w["ulp"]),
                ]
                for w in report.worst
            ],
            title="worst inputs",
            inputs=1,
        )
        output.emit(worst, resolved, precision=precision, no_color=no_color)
    lines = [f["message"] for f in report.findings] or ["none"]
    text = "findings:\n" + "".join(
        textwrap.fill(m, 79, initial_indent="- ", subsequent_indent="  ") + "\n" for m in lines
    )
    sys.stdout.write(text + _verdict(report) + "\n")
    sys.stdout.flush()


# ULP errors under this are shown as such: their digits tell a reader nothing
ULP_FLOOR = 0.001


def _compact(value: float, digits: int, least: float | None = None) -> str:
    """``value`` to ``digits`` significant digits in few characters: 1.68e7, 4.86e-4, 0.5."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return format_number(value)
    if least is not None and abs(value) < least:
        return f"<{least:g}"
    text = f"{value:.{digits - 1}e}" if abs(value) < 1e-3 else f"{value:.{digits}g}"
    mantissa, sep, exponent = text.partition("e")
    if "." in mantissa and "e" in text:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(exponent)}" if sep else "")


def _band(lo: float, hi: float) -> str:
    """A band's ends (half-open away from 0, see checking); one number for the band of ±0."""
    if lo == hi:  # the band of ±0, or one x alone at an end
        return "±0" if lo == 0 else _compact(lo, 3)

    def end(value: float) -> str:  # 2 digits in exponent form: edges of binades there
        text = _compact(value, 3)
        return _compact(value, 2) if "e" in text else text

    label = f"{end(lo)} … {end(hi)}"
    return label if len(label) <= 15 else label.replace(" … ", "…")


def _verdict(report: Report) -> str:
    allclose = "" if report.atol is None and report.rtol is None else " or allclose"
    if report.passed:
        return f"passed: all {report.rows:,} rows within {report.tolerance:g} ULP{allclose}"
    return (
        f"FAILED: {report.failed:,} of {report.rows:,} rows over {report.tolerance:g} "
        f"ULP{' and not allclose' if allclose else ''}"
    )


# ---------------------------------------------------------------------------------- figure


def _draw(
    path: Path,
    act: Activation,
    report: Report,
    rows: Iterator[list[np.ndarray]],
    title: str,
    look: Look,
) -> None:
    """The figure of the errors against x, with the tolerance, the bands and the findings
    (it draws every row: x and the errors are held in memory)."""
    from actcli import plotting

    x, errors = (np.concatenate(c) for c in zip(*((b[0], b[3]) for b in rows), strict=True))

    marks: list[dict[str, Any]] = [
        f for f in report.findings if f["kind"] != "special" and "x_min" in f
    ]
    plot = plotting.ErrorPlot(
        x=x,
        ulp=errors,
        tolerance=report.tolerance,
        edges=sorted({b["lo"] for b in report.bands[1:]}),
        marks=marks,
        dtype=report.dtype,
    )
    fig = plotting.error_figure(plot, title=title, look=look)
    figures.save(fig, path, [act], title, look)
    output.note(f"note: wrote {path}")
