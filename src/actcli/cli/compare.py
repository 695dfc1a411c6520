"""``actcli compare``: properties side by side, how far apart, and an overlay figure."""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from actcli.cli import figures, output, specs
from actcli.cli.options import (
    DialectOption,
    DpiOption,
    FormatOption,
    GridStepsOption,
    Metric,
    NamesArg,
    NoColorOption,
    OutputOption,
    ParamOption,
    PlotRangeOption,
    PrecisionOption,
    SizeOption,
    StyleOption,
    TitleOption,
    refuse_unused,
)
from actcli.formats import STREAMING, OutputFormat, Table

if TYPE_CHECKING:
    from pathlib import Path

    from actcli.catalog.registry import Activation
    from actcli.comparison import Difference
    from actcli.plotting import Panel


def compare_command(
    names: NamesArg,
    range_: PlotRangeOption = (-5.0, 5.0),
    steps: GridStepsOption = 1001,
    metric: Annotated[Metric, typer.Option("--metric", help="abs, rel or ulp.")] = Metric.abs,
    output_file: OutputOption = None,
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
    """Compare activations: properties side by side, and their gaps.

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
    from actcli import comparison, curves

    acts = specs.activations(names, params, dialect)
    comparison.check_elementwise(acts)
    x = curves.grid(range_[0], range_[1], steps)
    labels = specs.labels(acts)
    if output_file is None:
        figure_only = {
            "--grid": grid_panels,
            "--diff": diff_panel,
            "--dpi": dpi,
            "--size": size,
            "--style": style,
            "--title": title,
        }
        refuse_unused(figure_only, "the figure: give -o FILE")
    else:
        look = figures.settings(size, dpi, style, "8x5")
        _figure(acts, labels, x, (grid_panels, diff_panel), look, title, output_file)
    resolved = output.resolve(fmt)
    if resolved in STREAMING:
        curves_table = Table(["x", *labels], [], inputs=1)
        output.emit_blocks(
            curves_table, [[x, *(np.asarray(a(x)) for a in acts)]], resolved, precision=precision
        )
        return
    _properties(acts, labels, x, metric.value, resolved, precision, no_color)


def _properties(
    acts: list[Activation],
    labels: list[str],
    x: np.ndarray,
    metric: str,
    resolved: OutputFormat,
    precision: int | None,
    no_color: bool,
) -> None:
    """The properties table and the table of the largest difference of each pair."""
    from actcli import comparison

    props = [comparison.properties(a, x) for a in acts]
    diffs = _differences(acts, labels, x, metric)
    if resolved is OutputFormat.json:
        output.write_json(
            {
                "range": [float(x[0]), float(x[-1])],
                "steps": len(x),
                "metric": metric,
                "properties": dict(zip(labels, props, strict=True)),
                "differences": [dataclasses.asdict(d) for d in diffs],
                "framework_errors": _framework_errors(acts, labels),
            }
        )
        return
    prop_table = Table(
        ["property", *labels],
        comparison.rows(props),
        title=f"properties on [{x[0]:g}, {x[-1]:g}]",
    )
    diff_table = Table(
        ["a", "b", f"max {metric} difference", "at x"],
        [[d.a, d.b, d.value, d.at] for d in diffs],
        title="differences",
    )
    output.emit(prop_table, resolved, precision=precision, no_color=no_color)
    if diffs:
        output.emit(diff_table, resolved, precision=precision, no_color=no_color)
    for label, errors in _framework_errors(acts, labels).items():
        places = "; ".join(f"{e['quantity']} {e['where']}" for e in errors)
        text = f"{label}: the framework itself is off the exact function: {places}"
        output.note(f"note: {text} (recorded; actcli info says why)")


def _framework_errors(acts: list[Activation], labels: list[str]) -> dict[str, list[Any]]:
    """Where a compared dialect's own framework is recorded off the exact function, by label:
    a porter's difference may be the framework's, not theirs. Only when dialects are compared."""
    from actcli import explain

    if len({a.dialect for a in acts}) < 2:
        return {}
    found = {}
    for act, label in zip(acts, labels, strict=True):
        errors = [e for e in explain.framework_errors(act) if act.dialect in e["frameworks"]]
        if errors:
            found[label] = errors
    return found


def _differences(
    acts: list[Activation], labels: list[str], x: np.ndarray, metric: str
) -> list[Difference]:
    """Each pair's largest difference, named by their labels (which keep the dialects)."""
    from actcli import comparison

    named = list(zip(acts, labels, strict=True))
    return [
        dataclasses.replace(comparison.difference(a, b, x, metric), a=la, b=lb)
        for (a, la), (b, lb) in itertools.combinations(named, 2)
    ]


def _figure(
    acts: list[Activation],
    labels: list[str],
    x: np.ndarray,
    panels_asked: tuple[bool, bool],
    look: figures.Settings,
    title: str | None,
    path: Path,
) -> None:
    from actcli import plotting

    plotting.check_output(path)
    panels = _panels(acts, labels, x, *panels_asked)
    fig_title = title if title is not None else "compare: " + ", ".join(labels)
    fig = plotting.figure(
        panels,
        title=fig_title,
        style=look.style,
        size=look.size,
        dpi=look.dpi,
        columns=2 if len(panels) > 2 else 1,
    )
    figures.save(fig, path, acts, fig_title)
    output.note(f"wrote {path}")


def _panels(
    acts: list[Activation], labels: list[str], x: np.ndarray, grid: bool, diff: bool
) -> list[Panel]:
    from actcli import curves
    from actcli.plotting import Panel

    named = list(zip(acts, labels, strict=True))
    if grid:
        panels = [Panel(curves.curves(a, x, 1, [], label), x, title=label) for a, label in named]
    else:
        panels = [Panel([c for a, label in named for c in curves.curves(a, x, 0, [], label)], x)]
    if diff and len(acts) > 1:
        base = np.asarray(acts[0](x))
        lines: list[Any] = [
            curves.Curve(
                f"{label} − {labels[0]}", label, 0, [curves.Piece(x, np.asarray(a(x)) - base)]
            )
            for a, label in named[1:]
        ]
        panels.append(Panel(lines, x, title=f"difference from {labels[0]}"))
    return panels
