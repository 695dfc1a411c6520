"""``actcli audit``: an installed framework's own kernels against actcli's reference, one card."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actcli.cli import output
from actcli.cli.boundary import closed_pipe, silence_stdout
from actcli.cli.options import NoColorOption, PrecisionOption
from actcli.errors import CheckFailed, DataError
from actcli.formats import OutputFormat

if TYPE_CHECKING:
    from actcli.audit import AuditCard

FrameworkArg = Annotated[
    str,
    typer.Argument(
        help="torch, jax, tensorflow (tf), keras or keras2 (tf_keras).",
        metavar="FRAMEWORK",
        show_default=False,
    ),
]
NamesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Activations (name:key=value for parameters). Default: every elementwise one the "
        "framework has.",
        metavar="[NAME]...",
        show_default=False,
    ),
]
DtypesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dtype",
        metavar="D",
        help="bfloat16, float16, float32 (repeat for several). Default: bfloat16 and float16, "
        "and float32 with --range or --all-float32.",
        show_default=False,
    ),
]
BandOption = Annotated[
    tuple[float, float] | None,
    typer.Option("--range", "-r", metavar="A B", help="The float32 band: every float32 in [A, B]."),
]
AllFloat32Option = Annotated[
    bool,
    typer.Option("--all-float32", help="Every float32 value (4.3 billion per cell: hours)."),
]
DerivativeFlag = Annotated[
    bool, typer.Option("--derivative", "-d", help="Also the autodiff derivative f′.")
]
TolOption = Annotated[
    float, typer.Option("--tol", help="Largest acceptable error, in ULP (as check).")
]
CardFileOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the card to FILE instead."),
]


class CardFormat(str, enum.Enum):
    """What the card is written as: a table with its text (in a pipe too, as check's
    report), one CSV/TSV row per cell, or the JSON document."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


CardFormatOption = Annotated[
    CardFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (in a pipe too), csv or tsv (a row per cell), json (the whole card).",
        case_sensitive=False,
    ),
]


def audit_command(
    framework: FrameworkArg,
    names: NamesArg = None,
    dtype: DtypesOption = None,
    band: BandOption = None,
    all_float32: AllFloat32Option = False,
    derivative: DerivativeFlag = False,
    tol: TolOption = 4.0,
    fmt: CardFormatOption = CardFormat.table,
    precision: PrecisionOption = None,
    output_file: CardFileOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Audit a framework's own kernels against the reference, in ULP.

    Runs FRAMEWORK's functions (torch.nn.functional on CPU, and CUDA when present; jax.nn;
    tf.nn; keras.activations on its backend) in its own dtypes over every bfloat16 and float16
    input (±inf and nan too) and, with --range A B, every float32 in [A, B] (--all-float32:
    every float32), the values and with -d the autodiff derivative f′. Each activation × dtype
    × (f, f′) is one check against actcli's reference in the framework's dialect (its defaults
    and kink conventions): rows, max and 99th-percentile ULP, rows over --tol, and whether
    every row meets the tolerance the framework documents for testing its own results ("own
    tol": torch.testing.assert_close's defaults, jax.test_util's, TensorFlow's
    assertAllCloseAccordingToType; |y − ref| ≤ atol + rtol·|ref|); then check's findings. The framework is imported only here;
    without it, a line says what to install (exit 2). Exit status 3 when a row is over --tol.
    --format json is the whole card, csv or tsv one row per cell; -o FILE writes it there.

    Examples:

      actcli audit torch

      actcli audit torch gelu silu -d --range -8 8

      actcli audit jax gelu gelu:approximate=none --dtype bfloat16

      actcli audit torch --format json -o torch_card.json
    """
    from actcli.audit import audit

    if output_file is not None and not output_file.parent.is_dir():  # before the long run
        raise DataError(f"cannot write {output_file}: no directory {output_file.parent}")
    terminal = sys.stderr.isatty()
    try:
        card = audit(
            framework,
            names or (),
            dtypes=dtype,
            span=band,
            all_float32=all_float32,
            derivative=derivative,
            tol=tol,
            progress=_progress() if terminal else None,
        )
    finally:
        if terminal:
            sys.stderr.write("\r\x1b[K")  # the progress line gone, whatever happened
    with _destination(output_file):
        _print(card, fmt, precision, no_color)
    if output_file is not None:
        output.note(f"note: wrote {output_file}")
    if not card.passed:
        raise CheckFailed(card.verdict)


def _progress() -> Callable[[str], None]:
    """On a terminal, one line on stderr saying which cell runs (a float32 band takes long)."""

    def say(label: str) -> None:
        sys.stderr.write(f"\r\x1b[Kauditing {label} …")
        sys.stderr.flush()

    return say


def _print(card: AuditCard, fmt: CardFormat, precision: int | None, no_color: bool) -> None:
    """The card as a table and its text (also in a pipe, as check's report), CSV/TSV rows or
    the JSON document."""
    try:
        if fmt is CardFormat.json:
            output.write_json(card.document())
        elif fmt is not CardFormat.table:
            output.emit(card.data(), OutputFormat(fmt.value), precision=precision)
        else:
            output.emit(card.table(precision), OutputFormat.table, no_color=no_color)
            sys.stdout.write(card.text())
        sys.stdout.flush()
    except OSError as exc:  # `| head` may stop reading: the verdict still decides, as check's
        if not closed_pipe(exc):
            raise
        silence_stdout()


@contextlib.contextmanager
def _destination(path: Path | None) -> Iterator[None]:
    """stdout, or FILE written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        yield
        return
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from None
    saved = sys.stdout
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            sys.stdout = stream
            try:
                yield
            finally:
                sys.stdout = saved
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
