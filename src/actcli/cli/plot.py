"""``actcli plot``: curves to a figure file or the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer

from actcli.cli import figures, output, specs
from actcli.cli.options import (
    DerivativeOption,
    DialectOption,
    DpiOption,
    GridStepsOption,
    NamesArg,
    NoColorOption,
    OutputOption,
    ParamOption,
    PlotRangeOption,
    SizeOption,
    StyleOption,
    TitleOption,
    refuse_unused,
)
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.registry import Activation
    from actcli.curves import Curve


def plot_command(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: GridStepsOption = 1001,
    derivative: DerivativeOption = 0,
    output_file: OutputOption = None,
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
    """Plot activations (-d: derivatives) to a file or the terminal.

    Without -o, writes NAMES.png in the current directory and prints its path. Jumps are not
    joined: the value at a kink (per dialect) is a filled dot, the one-sided limits open dots.

    Examples:

      actcli plot relu --range -5 5

      actcli plot gelu silu mish -d -o smooth.svg

      actcli plot relu -dd --terminal

      actcli plot softmax --others 0,1 -o softmax.pdf
    """
    from actcli import curves

    if show and output_file is not None:
        raise UsageError("--show opens a window instead of writing -o FILE: give one of them")
    if terminal:
        if output_file is not None or show:
            raise UsageError("--terminal draws in the terminal: drop -o / --show")
        refuse_unused({"--dpi": dpi, "--size": size, "--style": style}, "a figure file")
    else:
        unused = {"--width": width, "--height": height, "--ascii": ascii_only}
        refuse_unused(unused, "--terminal")
    acts = specs.activations(names, params, dialect)
    labels = specs.labels(acts)
    x = curves.grid(range_[0], range_[1], steps)
    drawn = _curves(acts, labels, x, derivative, others)
    if terminal:
        shown = title if title is not None else ", ".join(labels)
        _terminal(drawn, x, shown, width, height, ascii_only, no_color)
        return
    from actcli import plotting

    fig_title = title if title is not None else _title(acts)
    look = figures.settings(size, dpi, style, "7x4.5")
    fig = plotting.figure(
        [plotting.Panel(drawn, x)], title=fig_title, style=look.style, size=look.size, dpi=look.dpi
    )
    if show:
        plotting.show(fig)
        return
    path = output_file or figures.default_path(acts)
    figures.save(fig, path, acts, fig_title)
    typer.echo(str(path))


def _curves(
    acts: list[Activation], labels: list[str], x: np.ndarray, derivative: int, others: str | None
) -> list[Curve]:
    """f (and f′, f″) of each activation; vector ones along one input, the others fixed."""
    from actcli import curves

    vectors = [a for a in acts if a.kind == "vector"]
    if others is not None and not vectors:
        raise UsageError("--others is for vector activations (softmax, ...)")
    if vectors and derivative > 1:
        raise UsageError(f"{vectors[0].name}: vector activations show f and ∂f/∂x (-d), not -dd")
    extra = curves.parse_others(others or "0")
    return [
        c
        for a, label in zip(acts, labels, strict=True)
        for c in curves.curves(a, x, derivative, extra, label)
    ]


def _terminal(
    drawn: list[Curve],
    x: np.ndarray,
    title: str,
    width: int | None,
    height: int | None,
    ascii_only: bool,
    no_color: bool,
) -> None:
    from actcli import termplot

    console = output.console(no_color)
    text = termplot.render(
        drawn,
        x,
        width=width or max(console.width - 12, 20),
        height=height or 17,
        title=title,
        ascii_only=ascii_only
        or not termplot.can_draw_blocks(getattr(sys.stdout, "encoding", None)),
        color=console.color_system is not None and not (no_color or console.no_color),
    )
    sys.stdout.write(text)


def _title(acts: list[Activation]) -> str:
    """The names, the formula of a single one (where mathtext can draw it), the dialects."""
    from actcli.plotting import mathtext_or_none

    head = ", ".join(a.spec for a in acts)
    dialects = ", ".join(sorted({a.dialect for a in acts}))
    if len(acts) == 1:
        formula = mathtext_or_none(acts[0].latex)
        if formula:
            head = f"{head}:  {formula}"
    return f"{head}   ({dialects})"
