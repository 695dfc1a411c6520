"""``train --terminal``: each activation's decision regions in characters, side by side, and
the loss curves as a terminal plot (:mod:`actcli.termplot`).

Characters alone tell everything apart (no colour needed): the class predicted in a cell is
its background mark, a training point is its class's letter, so a point whose letter differs
from the class around it is one the network gets wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from actcli.train.network import region_grid, regions

if TYPE_CHECKING:
    from actcli.train.report import Report, Run

BACKGROUND = " .:-=~^'"  # the class predicted in a cell
POINTS = "ox+*#@%&"  # a training point of each class
SHADES = " .:-=+*#%@"  # a regression's predicted value, low to high
GAP = "  "


def view(report: Report, width: int, *, ascii_only: bool, color: bool) -> str:
    """What ``train --terminal`` prints under the table for a terminal ``width`` columns wide:
    the regions, then the loss curves (``ascii_only``: no block characters)."""
    return panels(report, width, 14) + losses(report, max(width - 12, 20), 15, ascii_only, color)


def panels(report: Report, width: int, height: int) -> str:
    """The panels of every activation, as many side by side as ``width`` holds."""
    inner = max(min(width - 2, 40), 12)
    panels = [_panel(report, run, inner, height) for run in report.runs]
    across = max(1, (width + len(GAP)) // (inner + 2 + len(GAP)))
    lines = []
    for start in range(0, len(panels), across):
        row = panels[start : start + across]
        lines += [GAP.join(parts).rstrip() for parts in zip(*row, strict=True)]
    return "\n".join([*lines, _legend(report)]) + "\n"


def _panel(report: Report, run: Run, width: int, height: int) -> list[str]:
    data = report.data
    xs, ys = region_grid(data, 2)  # the corners; cells are centred inside them
    xs = np.linspace(xs[0], xs[-1], width)
    ys = np.linspace(ys[0], ys[-1], height)
    shown = regions(report, run, xs, ys)
    if data.classes:
        cells = np.array(list(BACKGROUND))[shown % len(BACKGROUND)]
        column = np.clip(np.rint((data.x_train[:, 0] - xs[0]) / (xs[1] - xs[0])), 0, width - 1)
        row = np.clip(np.rint((data.x_train[:, 1] - ys[0]) / (ys[1] - ys[0])), 0, height - 1)
        marks = np.array(list(POINTS))[data.y_train % len(POINTS)]
        cells[row.astype(int), column.astype(int)] = marks
    else:
        lo, hi = float(np.min(shown)), float(np.max(shown))
        level = np.zeros(shown.shape, dtype=int) if not hi > lo else (shown - lo) / (hi - lo)
        cells = np.array(list(SHADES))[np.clip(level * len(SHADES), 0, len(SHADES) - 1).astype(int)]
    score = f"held-out {report.score} {run.history.held_out[-1]:.3g}"
    head = f"{run.label}: {score}"[:width]
    body = ["|" + "".join(r) + "|" for r in cells[::-1]]  # the first grid row is the lowest y
    edge = "+" + "-" * width + "+"
    return [f" {head}".ljust(width + 2), edge, *body, edge]


def _legend(report: Report) -> str:
    if not report.data.classes:
        return f"shades '{SHADES}': the predicted value, lowest to highest"
    k = range(report.data.classes)
    letters = " ".join(POINTS[i % len(POINTS)] for i in k)
    backs = " ".join(repr(BACKGROUND[i % len(BACKGROUND)]) for i in k)
    return (
        f"training points of class {' '.join(map(str, k))}: {letters}; the class predicted: {backs}"
    )


def losses(report: Report, width: int, height: int, ascii_only: bool, color: bool) -> str:
    """The loss of every activation by epoch, as a terminal plot."""
    from actcli import curves, termplot

    lines = [
        curves.Curve(
            run.label,
            run.label,
            0,
            [curves.Piece(run.history.epochs.astype(np.float64), run.history.loss)],
        )
        for run in report.runs
    ]
    x = np.array([0.0, float(max(report.settings.epochs, 1))])
    title = f"{report.loss} by epoch"
    return termplot.render(
        lines, x, width=width, height=height, title=title, ascii_only=ascii_only, color=color
    )
