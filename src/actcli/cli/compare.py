"""``actcli compare``: properties side by side, how far apart, and an overlay figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from actcli.cli import figures, output, specs
from actcli.cli.options import (
    ColumnsOption,
    DialectOption,
    DpiOption,
    FontOption,
    FormatOption,
    GridStepsOption,
    ImageFormatOption,
    LabelOption,
    LegendOption,
    LogyOption,
    Metric,
    NamesArg,
    NoColorOption,
    OutputOption,
    PanelLabelsOption,
    ParamOption,
    PlotRangeOption,
    PrecisionOption,
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
from actcli.formats import STREAMING, OutputFormat

if TYPE_CHECKING:
    from pathlib import Path

    from actcli.families import Member
    from actcli.plotting import Look, Panel


def compare_command(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: GridStepsOption = 1001,
    metric: Annotated[Metric, typer.Option("--metric", help="abs, rel or ulp.")] = Metric.abs,
    sweep: SweepOption = None,
    output_file: OutputOption = None,
    image_format: ImageFormatOption = None,
    grid_panels: Annotated[bool, typer.Option("--grid", help="One panel per activation.")] = False,
    diff_panel: Annotated[
        bool, typer.Option("--diff", help="Add a panel of the differences, in --metric.")
    ] = False,
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
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    params: ParamOption = None,
    dialect: DialectOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Compare activations: properties side by side, and their gaps.

    Properties: range, minimum (value and location), monotonic, bounded, E[f(z)] for z ~ N(0,1),
    smoothness, f(0), f′(0), where |f′| < 1e-3. Then the largest difference between each pair on
    the grid (--metric abs|rel|ulp) and where it occurs. --format csv writes x,NAME1,NAME2,...;
    -o FILE writes the overlay figure (--grid: one panel each with f and f′; --diff: a panel of
    the differences from the first, in --metric, ULP on a log axis). A name may carry its own
    dialect: gelu:dialect=jax. --sweep KEY=V1,V2,... compares a family, one column per value.
    --venue (with --columns 1|2) sizes the figure for a venue exactly, as plot does.

    Examples:

      actcli compare gelu silu mish --range -4 4

      actcli compare gelu gelu:approximate=tanh --metric ulp

      actcli compare gelu:dialect=torch gelu:dialect=jax -o port_gap.png --diff --metric ulp

      actcli compare gelu silu --grid --venue cvpr --columns 2 --panel-labels -o fig.pdf

      actcli compare elu --sweep alpha=0.5,1,2 --format csv > elu_family.csv

      actcli compare sigmoid hard_sigmoid --format csv > curves.csv
    """
    from actcli import comparison, curves

    chosen = specs.members(names, params, dialect, sweep, labels)
    x = curves.grid(range_[0], range_[1], steps)
    report = comparison.compare(
        [m.act for m in chosen], x, metric.value, [m.column for m in chosen]
    )
    if output_file is None:
        figure_only = {
            "--grid": grid_panels,
            "--diff": diff_panel,
            "--dpi": dpi,
            "--size": size,
            "--venue": venue,
            "--columns": columns,
            "--panel-labels": panel_labels,
            "--style": style,
            "--title": title,
            "--label": labels,
            "--xlabel": xlabel,
            "--ylabel": ylabel,
            "--legend": legend,
            "--logy": logy,
            "--symlogy": symlogy,
            "--font": font,
            "--usetex": usetex,
            "--svg-paths": svg_paths,
            "--image-format": image_format,
        }
        refuse_unused(figure_only, "the figure: give -o FILE")
    else:
        if diff_panel and len(chosen) < 2:
            raise UsageError("--diff draws the differences from the first: give two or more")
        path, image = figures.destination(output_file, image_format, svg_paths)
        if path is None:
            stdout_only = {
                "--format": None if fmt is OutputFormat.auto else fmt,
                "--precision": precision,
            }
            refuse_unused(stdout_only, "the tables; -o - sends the image to standard output")
        look = figures.look(
            size,
            dpi,
            style,
            "page" if grid_panels else "8x5",
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
        panels = comparison.panels(chosen, x, grid_panels, metric.value if diff_panel else None)
        _figure(chosen, panels, look, title, (path, image))
        if path is None:  # the figure went to standard output: the tables would mix with it
            return
    resolved = output.resolve(fmt)
    if resolved in STREAMING:
        head, block = report.curves()
        output.emit_blocks(head, [block], resolved, precision=precision)
    elif resolved is OutputFormat.json:
        output.write_json(report.document())
    else:
        for table in report.tables():
            output.emit(table, resolved, precision=precision, no_color=no_color)
        for text in report.notes():
            output.note(text)


def _figure(
    chosen: list[Member],
    panels: list[Panel],
    look: Look,
    title: str | None,
    target: tuple[Path | None, str],
) -> None:
    from actcli import plotting

    fig_title = title if title is not None else specs.title(chosen, formula=False)
    fig = plotting.figure(panels, title=fig_title, look=look)
    path, image = target
    figures.save(fig, path, [m.act for m in chosen], fig_title, look, image)
    if path is not None:
        output.note(f"wrote {path}")
