"""``actcli check``: values computed elsewhere against actcli's reference, in ULP."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import numpy as np
import typer

from actcli import reading
from actcli.cli import output, specs
from actcli.cli.boundary import closed_pipe, silence_stdout
from actcli.cli.options import (
    DerivativeOption,
    DialectOption,
    Dtype,
    DtypeOption,
    FormatOption,
    NameArg,
    NoColorOption,
    ParamOption,
    PrecisionOption,
)
from actcli.errors import CheckFailed, DataError, UsageError
from actcli.formats import STREAMING, OutputFormat, Table

if TYPE_CHECKING:
    from actcli.catalog.registry import Activation
    from actcli.checking import Report


def check_command(
    name: NameArg,
    file: Annotated[
        str,
        typer.Argument(
            help="CSV/TSV/whitespace of x,y, a .npy (n×2) or .npz (x, y); - for standard input.",
            show_default=False,
        ),
    ],
    derivative: DerivativeOption = 0,
    dtype: DtypeOption = Dtype.float64,
    tol: Annotated[float, typer.Option("--tol", help="Largest acceptable error, in ULP.")] = 4.0,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check values computed elsewhere against the reference, in ULP.

    FILE is a CSV/TSV of x,y (a header is optional; - reads stdin): from a custom kernel, another
    framework or a converted model. Prints the max and median ULP error (in --dtype) and the max
    relative error, by region (x < −5, around 0, x > 5), and the worst inputs; exits with
    status 3 when the max exceeds --tol ULP. -d checks f′ (diff output), -dd f″. --format csv
    writes every row with its reference and error.

    Examples:

      actcli check gelu torch_gelu.csv

      actcli diff silu --range -8 8 | actcli check silu - -d

      actcli check gelu:approximate=tanh kernel.csv --dtype float32 --tol 2 --dialect jax
    """
    from actcli import checking

    act = specs.activation(name, params, dialect)
    if act.kind != "elementwise":
        raise UsageError(f"check takes an elementwise activation; {act.name} is a vector one")
    if not (tol >= 0 and math.isfinite(tol)):
        raise UsageError(f"--tol must be a finite number >= 0, got {tol}")
    x, y = _pairs(file)
    report, reference, errors = checking.check(act, x, y, derivative, dtype.value, tol)
    title = _title(act, derivative, report)
    # the summary by default, in a pipe too; every row only when asked for (csv, tsv, jsonl)
    resolved = OutputFormat.table if fmt is OutputFormat.auto else fmt
    try:
        if resolved in STREAMING:
            rows = Table(["x", "y", "reference", "ulp"], [], title=title, inputs=2)
            output.emit_blocks(rows, [[x, y, reference, errors]], resolved, precision=precision)
        elif resolved is OutputFormat.json:
            output.write_json(_document(act, derivative, report))
        else:
            _tables(report, title, resolved, precision, no_color)
    except OSError as exc:  # `| head` may stop reading: the verdict below still decides
        if not closed_pipe(exc):
            raise
        silence_stdout()
    if not report.passed:
        if report.narrower_dtype:
            output.note(
                f"note: every given value is a {report.narrower_dtype} number, and they pass "
                f"as one: --dtype {report.narrower_dtype}"
            )
        raise CheckFailed(f"max error {report.max_ulp:.3g} ULP exceeds --tol {tol:g}")


def _pairs(file: str) -> tuple[np.ndarray, np.ndarray]:
    """The x and y columns of FILE (or stdin); a header ``y,x`` is read as x,y. A ``.npy``
    holds one (n, 2) array, an ``.npz`` the arrays x and y (what ``eval -o`` writes)."""
    if Path(file).suffix.lower() in reading.NUMPY_SUFFIXES:
        try:
            data = reading.load_numpy(Path(file), ("x", "y"))
        except DataError as exc:  # FILE is check's argument, not an --input option
            raise DataError(str(exc)) from None
        if data.ndim != 2 or data.shape[1] != 2:
            raise DataError(f"{file}: expected x and y, an array of shape (n, 2); got {data.shape}")
        return data[:, 0], data[:, 1]

    def read(stream: IO[bytes]) -> tuple[list[np.ndarray], list[str] | None]:
        reader = reading.Reader(stream, name="standard input" if file == "-" else file)
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
        name = "standard input" if file == "-" else file
        raise DataError(f"{name}: expected two columns x,y, found {max(widths)}")
    data = np.vstack(parts) if parts else np.empty((0, 2))
    if header is not None and sorted(header) == ["x", "y"] and header[0] == "y":
        data = data[:, ::-1]
    return data[:, 0], data[:, 1]


def _title(act: Activation, derivative: int, report: Report) -> str:
    quantity = ("", "′", "″")[derivative]
    return (
        f"{act.spec}{quantity} · dialect {act.dialect}: max {report.max_ulp:.3g} ULP "
        f"({report.dtype}), median {report.median_ulp:.3g}, max relative {report.max_rel:.3g}"
    )


def _document(act: Activation, derivative: int, report: Report) -> dict[str, object]:
    return {
        "activation": act.name,
        "spec": act.spec,
        "dialect": act.dialect,
        "derivative": derivative,
        "dtype": report.dtype,
        "tolerance": report.tolerance,
        "row_count": report.rows,
        "max_ulp": report.max_ulp,
        "median_ulp": report.median_ulp,
        "max_rel": report.max_rel,
        "regions": report.regions,
        "worst": report.worst,
        "narrower_dtype": report.narrower_dtype,
        "passed": report.passed,
    }


def _tables(
    report: Report, title: str, resolved: OutputFormat, precision: int | None, no_color: bool
) -> None:
    """The errors by region, and the worst inputs."""
    regions = Table(
        ["region", "rows", "max ULP", "median ULP"],
        [list(r.values()) for r in report.regions],
        title=title,
    )
    output.emit(regions, resolved, precision=precision, no_color=no_color)
    if report.worst:
        worst = Table(
            ["x", "given", "reference", "ULP"],
            [list(w.values()) for w in report.worst],
            title="worst inputs",
            inputs=2,
        )
        output.emit(worst, resolved, precision=precision, no_color=no_color)
