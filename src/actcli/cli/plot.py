"""``actcli plot``: curves to a figure file or the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer

from actcli.cli import figures, output, specs
from actcli.cli.options import (
    ColumnsOption,
    DerivativeOption,
    DialectOption,
    DpiOption,
    FontOption,
    GridStepsOption,
    ImageFormatOption,
    LabelOption,
    LegendOption,
    LogyOption,
    NamesArg,
    NoColorOption,
    OutputOption,
    PanelLabelsOption,
    ParamOption,
    PlotRangeOption,
    SizeOption,
    StyleOption,
    SvgPathsOption,
    SweepOption,
    SymlogyOption,
    TitleOption,
    UsetexOption,
    VenueOption,
    XLabelOption,
    YLabelOption,
    refuse_unused,
)
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.curves import Curve


def plot_command(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: GridStepsOption = 1001,
    derivative: DerivativeOption = 0,
    sweep: SweepOption = None,
    output_file: OutputOption = None,
    image_format: ImageFormatOption = None,
    grid_panels: Annotated[bool, typer.Option("--grid", help="One panel per activation.")] = False,
    terminal: Annotated[bool, typer.Option("--terminal", help="Draw in the terminal.")] = False,
    ascii_only: Annotated[bool, typer.Option("--ascii", help="Terminal plot in ASCII.")] = False,
    width: Annotated[int | None, typer.Option("--width", min=10, max=1000)] = None,
    height: Annotated[int | None, typer.Option("--height", min=4, max=500)] = None,
    dpi: DpiOption = None,
    size: SizeOption = None,
    venue: VenueOption = None,
    columns: ColumnsOption = None,
    panel_labels: PanelLabelsOption = False,
    title: TitleOption = None,
    labels: LabelOption = None,
    xlabel: XLabelOption = None,
    ylabel: YLabelOption = None,
    legend: LegendOption = None,
    logy: LogyOption = False,
    symlogy: SymlogyOption = False,
    font: FontOption = None,
    usetex: UsetexOption = False,
    svg_paths: SvgPathsOption = False,
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

    Without -o, writes NAMES.png in the current directory and prints its path; -o - writes
    the image to standard output (--image-format png|svg|pdf). Jumps are not joined: the
    value at a kink (per dialect) is a filled dot, the one-sided limits open dots; every kink
    in the range is a point of the grid, so corners stay corners at any --steps.

    --sweep KEY=V1,V2,... (or KEY=START:STOP:N) draws a family, one curve per value, shaded along a
    colour map; several NAMEs with a sweep get a panel each. Labels show every parameter you
    set; --label TEXT (one per curve of f) replaces them. --size column or page sets a
    journal's column (3.5 in) or page (7 in) width; --venue icml (neurips, iclr, cvpr, aaai,
    ieee, jmlr) a venue's exact column width (--columns 2: its text width) and caption font
    size; PDFs embed TrueType fonts.

    Examples:

      actcli plot relu --range -5 5

      actcli plot gelu silu mish -d -o smooth.svg

      actcli plot leaky_relu --sweep negative_slope=0.01,0.1,0.3 -o slopes.pdf

      actcli plot "x*sigmoid(b*x)" --sweep b=0.5:2:4 -d --size column --font serif -o f.pdf

      actcli plot gelu silu -d --venue icml -o fig.pdf

      actcli plot relu gelu silu --grid --venue ieee --columns 2 --panel-labels -o fig.pdf

      actcli plot relu -dd --terminal

      actcli plot softmax --others 0,1 -o - --image-format svg > softmax.svg
    """
    from actcli import curves

    if show and output_file is not None:
        raise UsageError("--show opens a window instead of writing -o FILE: give one of them")
    figure_only = {
        "--dpi": dpi,
        "--size": size,
        "--venue": venue,
        "--columns": columns,
        "--panel-labels": panel_labels,
        "--style": style,
        "--font": font,
        "--usetex": usetex,
        "--svg-paths": svg_paths,
        "--legend": legend,
        "--xlabel": xlabel,
        "--ylabel": ylabel,
        "--logy": logy,
        "--symlogy": symlogy,
        "--grid": grid_panels,
        "--image-format": image_format,
    }
    if terminal:
        if output_file is not None or show:
            raise UsageError("--terminal draws in the terminal: drop -o / --show")
        refuse_unused(figure_only, "a figure file")
    else:
        unused = {"--width": width, "--height": height, "--ascii": ascii_only}
        refuse_unused(unused, "--terminal")
    chosen = specs.members(names, params, dialect, sweep, labels)
    acts = [m.act for m in chosen]
    x = curves.grid(range_[0], range_[1], steps)
    if terminal:
        drawn = [
            c for panel in curves.panels(chosen, x, derivative, others, False) for c in panel.curves
        ]
        shown = title if title is not None else specs.title(chosen, formula=False)
        _terminal(drawn, x, shown, width, height, ascii_only, no_color)
        return
    from actcli import plotting

    path, fmt = figures.destination(output_file, image_format, svg_paths)
    several = grid_panels or (len(names) > 1 and bool(sweep))  # panels: the height follows them
    look = figures.look(
        size,
        dpi,
        style,
        "page" if several else "7x4.5",
        font=font,
        usetex=usetex,
        svg_paths=svg_paths,
        legend=legend,
        xlabel=xlabel,
        ylabel=ylabel,
        logy=logy,
        symlogy=symlogy,
        venue=venue,
        columns=columns,
        panel_labels=panel_labels,
    )
    fig_title = title if title is not None else specs.title(chosen)
    fig = plotting.figure(
        curves.panels(chosen, x, derivative, others, grid_panels), title=fig_title, look=look
    )
    if show:
        plotting.show(fig)
        return
    if path is None and output_file is None:
        path = figures.default_path(acts)
    figures.save(fig, path, acts, fig_title, look, fmt)
    if path is not None:
        typer.echo(str(path))


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
