"""The figure of ``check -o``: |error| in ULP against x, with the tolerance, the band edges
and the findings.

matplotlib is imported here (the one other module allowed to, beside :mod:`actcli.plotting`,
whose palette, styles, :class:`~actcli.plotting.Look` and legend styling it uses), lazily, by
:func:`error_figure`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.plotting import PALETTE, STYLES, Look, _text_errors, style_legend

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.check.report import Report

# more rows than this are drawn as the max and median error per x bin, not one dot each
ERROR_DOTS = 20_000
ERROR_BINS = 1_500
MARK_COLOURS = {
    "non_monotonic": "#CC79A7",
    "sign_error": "#D55E00",
    "flush_to_zero": "#E69F00",
    "non_finite": "#D55E00",
}


@dataclass
class ErrorPlot:
    """What ``check -o`` draws: |error| in ULP against x, and what the report found."""

    x: np.ndarray
    ulp: np.ndarray
    tolerance: float
    edges: list[float]  # band edges in x
    marks: list[dict[str, Any]]  # findings with x_min, x_max, message (flush: threshold)
    dtype: str = "float64"


def figure(report: Report, *, title: str, look: Look) -> Figure:
    """The errors of every row of ``report`` (read again: x and the errors are held in
    memory), its tolerance, band edges and findings."""
    x, errors = (
        np.concatenate(c) for c in zip(*((b[0], b[3]) for b in report.blocks()), strict=True)
    )
    marks: list[dict[str, Any]] = [
        f for f in report.findings if f["kind"] != "special" and "x_min" in f
    ]
    plot = ErrorPlot(
        x=x,
        ulp=errors,
        tolerance=report.tolerance,
        edges=sorted({b["lo"] for b in report.bands[1:]}),
        marks=marks,
        dtype=report.dtype,
    )
    return error_figure(plot, title=title, look=look)


def error_figure(plot: ErrorPlot, *, title: str = "", look: Look | None = None) -> Figure:
    """|error| in ULP against x on a log axis: exact rows (0 ULP) at the axis floor and inf
    at its top, both said in the legend; the tolerance, the band edges and the findings."""
    from matplotlib import rc_context

    look = look or Look(size=(8.0, 4.8))
    with rc_context(look.rc()), _text_errors():
        return _error_figure(plot, title, look)


def _error_figure(plot: ErrorPlot, title: str, look: Look) -> Figure:
    from matplotlib.figure import Figure

    colours = STYLES[look.style]
    width, height = look.size
    fig = Figure(
        figsize=(width, height or round(width * (0.95 if width < 5 else 0.6), 2)),
        dpi=look.dpi,
        facecolor=colours["bg"],
        layout="constrained",
    )
    ax = fig.subplots()
    ax.set_facecolor(colours["bg"])
    for spine in ax.spines.values():
        spine.set_color(colours["zero"])
    ax.tick_params(colors=colours["fg"])
    ax.grid(True, color=colours["grid"], linewidth=0.6, zorder=0)
    keep = np.isfinite(plot.x)
    x, e = plot.x[keep], plot.ulp[keep]
    finite = np.isfinite(e)
    positive = e[finite & (e > 0)]
    top = max(float(positive.max()) if positive.size else 1.0, plot.tolerance, 1.0)
    # errors far below the tolerance are all "fine": the axis starts a decade under it
    floor = 10.0 ** (np.floor(np.log10(min(plot.tolerance, 0.5) or 0.5)) - 1)
    ceiling = 10.0 ** (np.ceil(np.log10(top)) + 1)
    shown = np.where(e <= floor, floor, np.where(np.isinf(e), ceiling, e))
    _error_points(ax, x, shown, (floor, ceiling))
    for value, label, marker in (
        (floor, f"0 (exact) or under {floor:g} ULP: at the floor", "o"),
        (ceiling, "inf (a non-finite error): at the top", "x"),
    ):
        at = shown == value
        if at.any():
            ax.plot(
                x[at],
                shown[at],
                marker,
                color=colours["zero"],
                markersize=2.5,
                linestyle="none",
                label=label,
                zorder=2,
            )
    ax.axhline(
        plot.tolerance,
        color=PALETTE[1],
        linewidth=1.2,
        linestyle="--",
        label=f"tolerance {plot.tolerance:g} ULP",
        zorder=4,
    )
    for k, edge in enumerate(plot.edges):
        ax.axvline(
            edge,
            color=colours["zero"],
            linewidth=0.8,
            linestyle=":",
            zorder=1,
            label="band edges" if k == 0 else None,
        )
    _error_marks(ax, plot.marks, colours)
    ax.set_yscale("log")
    ax.set_ylim(floor / 2, ceiling * 2)
    if x.size:
        _error_x_axis(ax, x)
    ax.set_xlabel("x", color=colours["fg"])
    ax.set_ylabel(f"|error| in ULP of {plot.dtype}", color=colours["fg"])
    if title:
        ax.set_title(title, color=colours["fg"], fontsize=9)
    if width < 5:  # a column-wide figure: the legend below, the axes keep the width
        legend = fig.legend(loc="outside lower center", ncols=2, fontsize=7, frameon=True)
    else:
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=True)
    style_legend(legend, colours)
    return fig


def _error_points(ax: Axes, x: np.ndarray, shown: np.ndarray, limits: tuple[float, float]) -> None:
    """Each row as a dot (but those at the floor or the top: the caller draws them), or, for
    many rows, the max and median per x bin."""
    if x.size <= ERROR_DOTS:
        inside = (shown > limits[0]) & (shown < limits[1])
        ax.plot(
            x[inside],
            shown[inside],
            ".",
            color=PALETTE[0],
            markersize=2,
            linestyle="none",
            label="|error| of each row",
            zorder=3,
        )
        return
    order = np.argsort(x, kind="stable") if np.any(x[1:] < x[:-1]) else None
    xs = x if order is None else x[order]
    es = shown if order is None else shown[order]
    bounds = np.linspace(0, xs.size, ERROR_BINS + 1).astype(np.int64)
    centre = xs[(bounds[:-1] + bounds[1:]) // 2]
    top = np.maximum.reduceat(es, bounds[:-1])
    middle = np.array([np.median(es[a:b]) for a, b in itertools.pairwise(bounds.tolist())])
    ax.plot(
        centre,
        top,
        "-",
        color=PALETTE[0],
        linewidth=1.0,
        label=f"max |error| per bin ({ERROR_BINS} bins of x)",
        zorder=4,
    )
    ax.plot(centre, middle, "-", color=PALETTE[2], linewidth=1.0, label="median per bin", zorder=3)


def _error_marks(ax: Axes, marks: list[dict[str, Any]], colours: dict[str, str]) -> None:
    """The findings: a shaded span of x each, a line at a flush-to-zero threshold."""
    lo, hi = ax.dataLim.intervalx
    least = (hi - lo) * 0.004  # a narrow span still shows
    for mark in marks:
        colour = MARK_COLOURS.get(mark["kind"], colours["fg"])
        label = mark["kind"].replace("_", " ") + f" ({mark['count']:,})"
        a, b = mark["x_min"], mark["x_max"]
        if b - a < least:
            a, b = (a + b - least) / 2, (a + b + least) / 2
        ax.axvspan(a, b, color=colour, alpha=0.2, zorder=0, label=label)
        if mark.get("threshold") is not None:
            ax.axvline(
                mark["threshold"],
                color=colour,
                linewidth=1.4,
                zorder=4,
                label=f"returns 0 from x = {mark['threshold']:.5g} outwards",
            )


def _error_x_axis(ax: Axes, x: np.ndarray) -> None:
    """A linear x axis, or a symmetric log one when x spans many decades."""
    lo, hi = float(x.min()), float(x.max())
    nonzero = np.abs(x[x != 0])
    if nonzero.size and max(abs(lo), abs(hi)) / float(nonzero.min()) > 1e4 and lo < 0 < hi:
        ax.set_xscale("symlog", linthresh=float(max(nonzero.min(), 1e-300)))
    elif nonzero.size and lo > 0 and hi / lo > 1e4:
        ax.set_xscale("log")
    pad = (hi - lo) * 0.01 or 1.0
    if ax.get_xscale() == "linear":
        ax.set_xlim(lo - pad, hi + pad)
