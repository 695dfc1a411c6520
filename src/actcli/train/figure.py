"""The figure of ``train -o``: each activation's decision regions with the data, then the loss
and the fraction of dead hidden units over the epochs, every activation overlaid.

matplotlib is imported here (the only module of :mod:`actcli.train` allowed to; it uses the
palette, styles and legend styler of :mod:`actcli.plotting`), lazily, by :func:`figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.plotting import PALETTE, STYLES, Look, layout, style_legend
from actcli.train.network import region_grid, regions

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.train.report import Report, Run

STEPS = 240  # the decision-region grid, per side
PANEL = (3.6, 3.2)  # inches per panel, for the default size
# classes take the palette from its other end (sky blue, orange, ...), so that the first
# activations' colours (blue, vermillion) stay theirs in the panels over epochs
CLASS_COLOURS = (*PALETTE[-2::-1], PALETTE[-1])


def default_size(count: int) -> str:
    """The figure size for ``count`` activations, their panels and the two over epochs."""
    rows, columns = layout(count + 2)
    return f"{columns * PANEL[0]:g}x{min(rows * PANEL[1], 50):g}"


def figure(report: Report, *, title: str | None = None, look: Look) -> Figure:
    """The figure of ``report`` in ``look``; ``title`` None: the report's, on two lines."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    colours = STYLES[look.style]
    count = len(report.runs)
    width, height = look.size
    rows, columns = layout(count + 2, width)
    if height is None:  # a preset width (column, page): panels as in the default size
        height = round(rows * width / columns * PANEL[1] / PANEL[0], 2)
    rc: Any = look.rc()  # matplotlib types its keys as literals
    with rc_context(rc):
        fig = Figure(
            figsize=(width, height), dpi=look.dpi, facecolor=colours["bg"], layout="constrained"
        )
        axes = list(fig.subplots(rows, columns, squeeze=False).flat)
        for ax in axes:
            _frame(ax, colours)
        xs, ys = region_grid(report.data, STEPS)
        for i, run in enumerate(report.runs):
            _regions(axes[i], report, run, xs, ys, colours, _colour(i, colours))
        _over_epochs(axes[count], report, "loss", report.loss, colours)
        dead = "dead hidden units (f′ = 0 on every point)"
        _over_epochs(axes[count + 1], report, "dead", dead, colours)
        for ax in axes[count + 2 :]:
            ax.set_visible(False)
        shown = report.title("\n") if title is None else title
        if shown:
            fig.suptitle(shown, color=colours["fg"], fontsize="medium")
    return fig


def _colour(index: int, colours: dict[str, str]) -> str:
    entry = PALETTE[index % len(PALETTE)]
    return colours.get(entry, entry)  # "ink" is the style's


def _frame(ax: Axes, colours: dict[str, str]) -> None:
    ax.set_facecolor(colours["bg"])
    for spine in ax.spines.values():
        spine.set_color(colours["zero"])
    ax.tick_params(which="both", colors=colours["fg"], labelsize=7)  # log axes: minor labels too


def _regions(
    ax: Axes,
    report: Report,
    run: Run,
    xs: np.ndarray,
    ys: np.ndarray,
    colours: dict[str, str],
    own: str,
) -> None:
    """The predicted class (or value) on the grid, and the points: training ones filled,
    held-out ones hollow."""
    from matplotlib.colors import Normalize, to_rgb

    data = report.data
    shown = regions(report, run, xs, ys)
    extent = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    if data.classes:
        palette = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(data.classes)]
        palette = [colours.get(c, c) for c in palette]
        tints = (
            np.array([to_rgb(c) for c in palette]) * 0.35 + np.array(to_rgb(colours["bg"])) * 0.65
        )
        ax.imshow(
            tints[shown], origin="lower", extent=extent, aspect="auto", interpolation="nearest"
        )
        for x, y, filled in ((data.x_train, data.y_train, True), (data.x_test, data.y_test, False)):
            ink = [palette[k] for k in y]
            ax.scatter(x[:, 0], x[:, 1], s=7, linewidths=0.7, c=ink if filled else "none",
                       edgecolors=colours["bg"] if filled else ink, zorder=3)  # fmt: skip
    else:
        norm = Normalize(*_limits(data.y_train, shown))
        ax.imshow(shown, origin="lower", extent=extent, aspect="auto", cmap="viridis", norm=norm)
        ax.scatter(data.x_train[:, 0], data.x_train[:, 1], s=7, c=data.y_train, cmap="viridis",
                   norm=norm, edgecolors=colours["bg"], linewidths=0.5, zorder=3)  # fmt: skip
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    score = report.score
    held_out = run.history.held_out[-1]
    ax.set_title(f"{run.label}: held-out {score} {held_out:.3g}", color=own, fontsize=9)


def _limits(*arrays: np.ndarray) -> tuple[float, float]:
    finite = np.concatenate([a[np.isfinite(a)].ravel() for a in arrays])
    return float(finite.min()), float(finite.max())


def _over_epochs(ax: Axes, report: Report, key: str, label: str, colours: dict[str, str]) -> None:
    """One line per activation: the loss (log scale) or the dead fraction, by epoch."""
    ax.grid(True, color=colours["grid"], linewidth=0.6)
    for i, run in enumerate(report.runs):
        values = getattr(run.history, key)
        ax.plot(run.history.epochs, values, color=_colour(i, colours), linewidth=1.5,
                label=run.label)  # fmt: skip
    if key == "loss" and all(np.all(run.history.loss > 0) for run in report.runs):
        ax.set_yscale("log")
    if key == "dead":
        ax.set_ylim(-0.03, 1.03)
    ax.set_xlim(0, max(report.settings.epochs, 1))
    ax.set_xlabel("epoch", color=colours["fg"], fontsize=8)
    ax.set_title(label, color=colours["fg"], fontsize=9)
    style_legend(ax.legend(loc="best", fontsize=7, frameon=True), colours)
