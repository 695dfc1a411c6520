"""Figures with matplotlib (the only module importing it), never through pyplot's global state.

:func:`figure` draws curves from :mod:`actcli.curves` onto a ``matplotlib.figure.Figure`` with
the Agg canvas; :func:`save` writes it atomically with provenance metadata and without dates,
so the same command writes the same bytes twice.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actcli.curves import Curve, y_limits
from actcli.errors import DataError, UsageError

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SUFFIXES = (".png", ".svg", ".pdf")
# Okabe & Ito's colour-blind-safe palette; its black is the style's ink (white on dark)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "ink")
# after 8 activations the colours repeat, with markers (not "o": kinks are dots)
MARKERS = ("", "s", "^", "D", "v", "x")
DASHES = ("-", "--", ":")  # f, f′, f″
STYLES = {
    "light": {
        "bg": "white",
        "fg": "#222222",
        "grid": "#dddddd",
        "zero": "#999999",
        "ink": "#000000",
    },
    "dark": {
        "bg": "#1e1e1e",
        "fg": "#e8e8e8",
        "grid": "#3a3a3a",
        "zero": "#777777",
        "ink": "#ffffff",
    },
}


@dataclass
class Panel:
    """One axes: its curves and the x grid they share."""

    curves: list[Curve]
    x: np.ndarray
    title: str = ""
    ylabel: str = ""
    xlabel: str = "x"


def check_output(path: Path) -> str:
    """The format of an output file, from its suffix."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        allowed = ", ".join(SUFFIXES)
        raise UsageError(f"cannot write {path.name!r}: the suffix must be one of {allowed}")
    if not path.parent.is_dir():
        raise DataError(f"cannot write {path}: no directory {path.parent}")
    return suffix[1:]


def mathtext_or_none(latex: str) -> str | None:
    """``$latex$`` for matplotlib's mathtext (no TeX install needed), or None.

    mathtext has no environments: piecewise definitions (``\\begin{cases}``) are left to the
    plain-text formula. Every other formula in the catalog parses (a test checks it), so no
    trial parse is paid for here (it costs 60 ms, loading the math fonts).
    """
    return None if "\\begin" in latex else f"${latex}$"


def figure(
    panels: Sequence[Panel],
    *,
    title: str = "",
    style: str = "light",
    size: tuple[float, float] = (7.0, 4.5),
    dpi: int = 150,
    columns: int = 1,
) -> Figure:
    """A figure with one axes per panel; curves of one activation share a colour (and marker)."""
    from matplotlib.figure import Figure

    colours = STYLES[style]
    fig = Figure(figsize=size, dpi=dpi, facecolor=colours["bg"], layout="constrained")
    rows = -(-len(panels) // columns)
    axes = fig.subplots(rows, columns, squeeze=False)
    names: dict[str, int] = {}  # activation -> its place in the palette, across panels
    for ax, panel in zip(axes.flat, panels, strict=False):
        _draw(ax, panel, colours, names)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, color=colours["fg"], fontsize=11)
    return fig


def _draw(ax: Axes, panel: Panel, colours: dict[str, str], names: dict[str, int]) -> None:
    ax.set_facecolor(colours["bg"])
    for spine in ax.spines.values():
        spine.set_color(colours["zero"])
    ax.tick_params(colors=colours["fg"])
    ax.grid(True, color=colours["grid"], linewidth=0.6)
    ax.axhline(0.0, color=colours["zero"], linewidth=0.8, zorder=1)
    ax.axvline(0.0, color=colours["zero"], linewidth=0.8, zorder=1)
    for curve in panel.curves:
        index = names.setdefault(curve.key, len(names))
        entry = PALETTE[index % len(PALETTE)]
        colour = colours.get(entry, entry)  # "ink" is the style's; the others are colours
        marker = MARKERS[index // len(PALETTE) % len(MARKERS)]
        dash = DASHES[curve.order % len(DASHES)]
        for i, piece in enumerate(curve.pieces):
            ax.plot(
                piece.x, piece.y, dash, color=colour, linewidth=1.8, marker=marker or None,
                markevery=0.1, markersize=4, label=curve.label if i == 0 else None, zorder=3,
            )  # fmt: skip
        if curve.filled:
            fx, fy = zip(*curve.filled, strict=True)
            ax.plot(fx, fy, "o", color=colour, markersize=5, zorder=4)
        if curve.hollow:
            hx, hy = zip(*curve.hollow, strict=True)
            ax.plot(hx, hy, "o", markerfacecolor=colours["bg"], markeredgecolor=colour,
                    markersize=5, zorder=4)  # fmt: skip
    ax.set_xlim(float(panel.x[0]), float(panel.x[-1]))
    ax.set_ylim(*y_limits(panel.curves, panel.x))
    ax.set_xlabel(panel.xlabel, color=colours["fg"])
    if panel.ylabel:
        ax.set_ylabel(panel.ylabel, color=colours["fg"])
    if panel.title:
        ax.set_title(panel.title, color=colours["fg"], fontsize=10)
    legend = ax.legend(loc="best", fontsize=8, frameon=True)
    legend.get_frame().set_facecolor(colours["bg"])
    legend.get_frame().set_edgecolor(colours["grid"])
    for text in legend.get_texts():
        text.set_color(colours["fg"])


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


def error_figure(
    plot: ErrorPlot,
    *,
    title: str = "",
    style: str = "light",
    size: tuple[float, float] = (8.0, 4.8),
    dpi: int = 150,
) -> Figure:
    """|error| in ULP against x on a log axis: exact rows (0 ULP) at the axis floor and inf
    at its top, both said in the legend; the tolerance, the band edges and the findings."""
    import numpy as np
    from matplotlib.figure import Figure

    colours = STYLES[style]
    fig = Figure(figsize=size, dpi=dpi, facecolor=colours["bg"], layout="constrained")
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
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=True)
    legend.get_frame().set_facecolor(colours["bg"])
    legend.get_frame().set_edgecolor(colours["grid"])
    for text in legend.get_texts():
        text.set_color(colours["fg"])
    return fig


def _error_points(ax: Axes, x: np.ndarray, shown: np.ndarray, limits: tuple[float, float]) -> None:
    """Each row as a dot (but those at the floor or the top: the caller draws them), or, for
    many rows, the max and median per x bin."""
    import numpy as np

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
    import numpy as np

    lo, hi = float(x.min()), float(x.max())
    nonzero = np.abs(x[x != 0])
    if nonzero.size and max(abs(lo), abs(hi)) / float(nonzero.min()) > 1e4 and lo < 0 < hi:
        ax.set_xscale("symlog", linthresh=float(max(nonzero.min(), 1e-300)))
    elif nonzero.size and lo > 0 and hi / lo > 1e4:
        ax.set_xscale("log")
    pad = (hi - lo) * 0.01 or 1.0
    if ax.get_xscale() == "linear":
        ax.set_xlim(lo - pad, hi + pad)


def save(fig: Figure, path: Path, provenance: dict[str, str]) -> None:
    """Write the figure atomically (a temporary file, then a rename) with fixed metadata."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fmt = check_output(path)
    FigureCanvasAgg(fig)
    title = provenance.get("title", "")
    description = "; ".join(f"{k}: {v}" for k, v in provenance.items() if k != "title")
    metadata: dict[str, Any] = {
        "png": {"Software": None, "Title": title, "Description": description},
        "svg": {"Date": None, "Title": title, "Description": description, "Creator": "actcli"},
        "pdf": {"CreationDate": None, "ModDate": None, "Title": title, "Subject": description,
                "Creator": "actcli", "Producer": "actcli"},
    }[fmt]  # fmt: skip
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        with (
            os.fdopen(fd, "wb") as out,
            rc_context({"svg.hashsalt": "actcli", "pdf.compression": 6}),
        ):
            try:
                fig.savefig(out, format=fmt, metadata=metadata, facecolor=fig.get_facecolor())
            except ValueError as exc:  # mathtext in a user's --title
                first = " ".join(str(exc).split())
                raise UsageError(f"cannot draw the figure's text: {first}") from None
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a figure is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def show(fig: Figure) -> None:
    """Open the figure in a window; only here does pyplot come in (it owns the GUI loop)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise DataError(
            "--show needs a display (none found): write a file with -o or use --terminal"
        )
    import matplotlib.pyplot as plt

    manager = plt.figure().canvas.manager
    if manager is None:
        raise DataError("matplotlib has no interactive backend here", option="show")
    fig.set_canvas(manager.canvas)
    manager.canvas.figure = fig
    plt.show()
